using ReSpike.Spiking.Surrogates;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Neurons;

/// <summary>
/// Parametric LIF (SpikingJelly's ParametricLIFNode, Fang et al. 2021): the leak 1/tau = sigmoid(w) is learnt.
/// decay_input: h = v + (x - (v - v_reset)) * sigmoid(w); otherwise h = v - (v - v_reset) * sigmoid(w) + x.
/// The parameter is named <c>w</c> as in SpikingJelly, so state dicts load by name; it starts at -ln(init_tau - 1).
/// </summary>
public sealed class ParametricLIFNode : BaseNode
{
    readonly Parameter w;

    public ParametricLIFNode(
        double initTau = 2.0,
        double vThreshold = 1.0,
        double? vReset = 0.0,
        bool decayInput = true,
        bool detachReset = false,
        SurrogateFunction? surrogate = null,
        StepMode stepMode = StepMode.Single,
        string name = "plif")
        : base(name, vThreshold, vReset, surrogate ?? new ATan(), detachReset, stepMode)
    {
        if (!(initTau > 1.0)) throw new ArgumentOutOfRangeException(nameof(initTau), initTau, "init_tau must be > 1 (sigmoid(w) = 1/tau in (0, 1))");
        DecayInput = decayInput;
        w = new Parameter(torch.tensor((float)-Math.Log(initTau - 1.0)));
        register_parameter("w", w);
    }

    public bool DecayInput { get; }

    /// <summary>The learnt leak parameter (1/tau = sigmoid(w)).</summary>
    public Parameter W => w;

    /// <summary>The current membrane time constant 1 / sigmoid(w).</summary>
    public double Tau
    {
        get { using var _ = torch.no_grad(); using var s = w.sigmoid(); return 1.0 / s.item<float>(); }
    }

    protected override Tensor Charge(Tensor v, Tensor x)
    {
        double vReset = VReset ?? 0.0;
        using var leak = w.sigmoid();
        using var leakTarget = vReset == 0.0 ? v.alias() : v - vReset;
        if (DecayInput)
        {
            using var drive = x - leakTarget;
            using var step = drive * leak;
            return v + step;
        }
        using var lost = leakTarget * leak;
        using var leaked = v - lost;
        return leaked + x;
    }

    public override string ToString() =>
        $"ParametricLIFNode(tau={Tau:G4}, v_threshold={VThreshold}, v_reset={(VReset?.ToString() ?? "None")}, " +
        $"decay_input={DecayInput}, detach_reset={DetachReset}, surrogate={Surrogate}, step_mode={StepMode})";
}
