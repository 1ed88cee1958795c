using ReSpike.Spiking.Surrogates;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// What one fused LIF call needs besides its tensors, handed through the autograd Function's argument list
/// (non-tensor arguments are passed through) and kept in its context for backward.
/// </summary>
internal sealed class FusedLifCall(LifKernelParameters parameters, SurrogateFunction surrogate, bool initialVRequiresGrad)
{
    public LifKernelParameters Parameters { get; } = parameters;
    public SurrogateFunction Surrogate { get; } = surrogate;
    public bool InitialVRequiresGrad { get; } = initialVRequiresGrad;

    /// <summary>Post-reset membrane per step [T, N...] when asked for (no gradient).</summary>
    public Tensor? VoltageSequence { get; set; }

    /// <summary>
    /// Our own handles to tensors created in forward: the Function hands libtorch's copies back to the caller, so
    /// these are released right after the call instead of waiting for the finalizer.
    /// </summary>
    public List<Tensor> ForwardHandles { get; } = [];

    /// <summary>The autograd context forward ran in (to free TorchSharp's per-output templates once apply returned).</summary>
    public TorchSharp.torch.autograd.AutogradContext? Context { get; set; }
}
