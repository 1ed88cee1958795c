using ReSpike.Spiking.Surrogates;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Neurons;

/// <summary>Integrate-and-fire neuron without leak: h = v + x.</summary>
public sealed class IFNode(
    double vThreshold = 1.0,
    double? vReset = 0.0,
    bool detachReset = false,
    SurrogateFunction? surrogate = null,
    StepMode stepMode = StepMode.Single,
    string name = "if")
    : BaseNode(name, vThreshold, vReset, surrogate ?? new ATan(), detachReset, stepMode)
{
    protected override Tensor Charge(Tensor v, Tensor x) => v + x;
}
