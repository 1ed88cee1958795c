using System.Numerics;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// A surrogate's backward pass for the fused kernel: dL/du from dL/dspike at u = h - v_threshold. Implemented by
/// structs so the kernel is specialised (and inlined) per surrogate. Each follows the op order autograd uses on the
/// surrogate's primitive in <see cref="Surrogates.SurrogateFunction.Spike"/>, so gradients match the op-by-op path
/// to float rounding.
/// </summary>
internal interface ISurrogateKernel
{
    Vector<float> Backward(Vector<float> gradSpike, Vector<float> u);
    float Backward(float gradSpike, float u);
}
