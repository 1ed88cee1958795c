using ReSpike.Spiking.Kernels;
using ReSpike.Spiking.Surrogates;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Neurons;

/// <summary>
/// Leaky integrate-and-fire neuron with SpikingJelly's charge equations:
/// decay_input:  h = v + (x - (v - v_reset)) / tau
/// otherwise:    h = v - (v - v_reset) / tau + x
/// (v_reset taken as 0 for soft reset). tau must be &gt; 1.
/// </summary>
public sealed class LIFNode : BaseNode
{
    public LIFNode(
        double tau = 2.0,
        double vThreshold = 1.0,
        double? vReset = 0.0,
        bool decayInput = true,
        bool detachReset = false,
        SurrogateFunction? surrogate = null,
        StepMode stepMode = StepMode.Single,
        string name = "lif")
        : base(name, vThreshold, vReset, surrogate ?? new ATan(), detachReset, stepMode)
    {
        if (!(tau > 1.0)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be > 1 (leak factor 1 - 1/tau in (0, 1))");
        Tau = tau;
        DecayInput = decayInput;
    }

    /// <summary>
    /// ReSpike's neuron: tau = 4/3 (leak 0.25), v_threshold = 1, hard reset to 0, decay_input,
    /// detach_reset, ATan(alpha = 2).
    /// </summary>
    public static LIFNode ReSpike(StepMode stepMode = StepMode.Single, string name = "lif") =>
        new(tau: 4.0 / 3.0, vThreshold: 1.0, vReset: 0.0, decayInput: true, detachReset: true,
            surrogate: new ATan(2.0), stepMode: stepMode, name: name);

    public double Tau { get; }
    public bool DecayInput { get; }

    /// <summary>
    /// Multi-step mode: <see cref="LifKernel.Auto"/> (default) runs float32 CPU sequences in the fused kernel
    /// (identical spikes, gradients equal to float rounding, a fraction of the time and saved memory);
    /// <see cref="LifKernel.OpByOp"/> forces the per-timestep tensor ops.
    /// </summary>
    public LifKernel Kernel { get; set; } = LifKernel.Auto;

    /// <summary>Why the fused kernel would not run this multi-step input (null when it would).</summary>
    public string? FusedKernelUnsupportedReason(Tensor xSequence) => FusedLif.UnsupportedReason(xSequence, Surrogate);

    protected override SequenceResult? FusedSequence(Tensor xSequence, Tensor v0)
    {
        if (Kernel == LifKernel.OpByOp) return null;
        var reason = FusedLif.UnsupportedReason(xSequence, Surrogate) ?? (v0.dtype == xSequence.dtype ? null : $"membrane dtype {v0.dtype} differs from the input's");
        if (reason is not null)
        {
            if (Kernel == LifKernel.Fused) throw new NotSupportedException($"{GetName()}: the fused LIF kernel cannot run this input: {reason}");
            return null;
        }
        var parameters = LifKernelParameters.From(Tau, VThreshold, VReset, DecayInput, DetachReset);
        var (spikes, lastV) = FusedLif.Run(xSequence, v0, parameters, Surrogate, StoreVoltageSequence, out var voltages);
        return new SequenceResult(spikes, lastV, voltages);
    }

    protected override Tensor Charge(Tensor v, Tensor x)
    {
        double vReset = VReset ?? 0.0;
        if (DecayInput)
        {
            // v + (x - (v - v_reset)) / tau; the v_reset = 0 form is the reference's exact op order
            using var leakTarget = vReset == 0.0 ? v.alias() : v - vReset;
            using var drive = x - leakTarget;
            using var step = drive.div_(Tau);
            return v + step;
        }
        else
        {
            using var leakTarget = vReset == 0.0 ? v.alias() : v - vReset;
            using var leak = leakTarget / Tau;
            using var leaked = v - leak;
            return leaked + x;
        }
    }

    public override string ToString() =>
        $"LIFNode(tau={Tau}, v_threshold={VThreshold}, v_reset={(VReset?.ToString() ?? "None")}, " +
        $"decay_input={DecayInput}, detach_reset={DetachReset}, surrogate={Surrogate}, step_mode={StepMode})";
}
