using ReSpike.Spiking.Surrogates;
using TorchSharp;
using static TorchSharp.torch;
using ReSpike.IO;

namespace ReSpike.Spiking.Neurons;

/// <summary>
/// Integrate-and-fire skeleton shared by all neurons (SpikingJelly's BaseNode): per timestep
/// charge (subclass), fire h - v_threshold through the surrogate, then reset.
/// Hard reset (v_reset set): v = h * (1 - s) + v_reset * s. Soft reset (v_reset null): v = h - v_threshold * s.
/// With detach_reset the reset term carries no gradient.
/// </summary>
public abstract class BaseNode : nn.Module<Tensor, Tensor>, IMemoryModule
{
    Tensor? _v;
    readonly List<Tensor> _voltageSequence = [];

    protected BaseNode(string name, double vThreshold, double? vReset, SurrogateFunction surrogate, bool detachReset, StepMode stepMode)
        : base(name)
    {
        if (vReset is { } reset && reset >= vThreshold)
            throw new ArgumentException($"v_reset ({reset}) must be below v_threshold ({vThreshold})");
        VThreshold = vThreshold;
        VReset = vReset;
        Surrogate = surrogate;
        DetachReset = detachReset;
        StepMode = stepMode;
    }

    public double VThreshold { get; }
    /// <summary>Potential after a spike (hard reset); null means soft reset by subtracting the threshold.</summary>
    public double? VReset { get; }
    public SurrogateFunction Surrogate { get; }
    public bool DetachReset { get; }
    public StepMode StepMode { get; set; }

    /// <summary>
    /// In multi-step mode, whether each call starts from rest (default: a [T, ...] input is a whole sequence).
    /// Set false to continue from the state left by the previous call (streaming).
    /// </summary>
    public bool ResetBeforeSequence { get; set; } = true;

    /// <summary>Keep the post-reset membrane potential of every step of the last multi-step call.</summary>
    public bool StoreVoltageSequence { get; set; }

    /// <summary>Membrane potential after the last step (null at rest). Owned by the neuron: do not dispose.</summary>
    public Tensor? V => _v;

    /// <summary>Post-reset potentials [T, N, ...] of the last multi-step call, when <see cref="StoreVoltageSequence"/> is on.</summary>
    public Tensor? VoltageSequence { get; private set; }

    /// <summary>Resting potential: v_reset for hard reset, 0 for soft reset.</summary>
    public double RestingPotential => VReset ?? 0.0;

    /// <summary>h = charge(v, x): the potential before firing.</summary>
    protected abstract Tensor Charge(Tensor v, Tensor x);

    public override Tensor forward(Tensor x) => StepMode == StepMode.Single ? SingleStep(x) : MultiStep(x);

    /// <summary>Advances one timestep; x is [N, ...].</summary>
    public Tensor SingleStep(Tensor x)
    {
        var v = StateFor(x);
        using var h = Charge(v, x);
        using var u = h - VThreshold;
        var spike = Surrogate.Spike(u);
        var next = Reset(h, spike);
        v.Dispose(); // the old potential lives on inside the autograd graph as long as backward needs it
        _v = next.DetachFromDisposeScope();
        return spike;
    }

    /// <summary>Runs a sequence x [T, N, ...] and returns spikes [T, N, ...].</summary>
    public Tensor MultiStep(Tensor xSequence)
    {
        if (xSequence.dim() < 2)
            throw new ArgumentException($"{GetName()}: multi-step input must be [T, N, ...], got shape {ShapeText.Format(xSequence.shape)}");
        if (ResetBeforeSequence) ResetState();
        ClearVoltageSequence();
        long steps = xSequence.shape[0];
        if (steps > 0)
        {
            using var first = xSequence[0];
            var v0 = StateFor(first);
            if (FusedSequence(xSequence, v0) is { } fused)
            {
                v0.Dispose(); // as in SingleStep: the graph keeps what backward needs
                _v = fused.LastV.DetachFromDisposeScope();
                VoltageSequence = fused.VoltageSequence?.DetachFromDisposeScope();
                return fused.Spikes;
            }
        }
        var spikes = new Tensor[steps];
        var voltages = StoreVoltageSequence ? new Tensor[steps] : null;
        try
        {
            for (long t = 0; t < steps; t++)
            {
                using var xt = xSequence[t];
                spikes[t] = SingleStep(xt);
                if (voltages != null) voltages[t] = _v!.detach();
            }
            if (voltages != null) VoltageSequence = torch.stack(voltages).DetachFromDisposeScope();
            return torch.stack(spikes);
        }
        finally
        {
            foreach (var s in spikes) s?.Dispose();
            if (voltages != null) foreach (var v in voltages) v?.Dispose();
        }
    }

    /// <summary>What a fused kernel returns for a whole sequence.</summary>
    protected readonly record struct SequenceResult(Tensor Spikes, Tensor LastV, Tensor? VoltageSequence);

    /// <summary>
    /// Runs the whole sequence x [T, N, ...] from the membrane v0 [N, ...] in one fused kernel, or returns null to
    /// use the op-by-op loop. Must give the op-by-op results (spikes, last membrane with its graph, and the
    /// post-reset potentials when <see cref="StoreVoltageSequence"/> is on).
    /// </summary>
    protected virtual SequenceResult? FusedSequence(Tensor xSequence, Tensor v0) => null;

    public void ResetState()
    {
        _v?.Dispose();
        _v = null;
        ClearVoltageSequence();
    }

    void ClearVoltageSequence()
    {
        VoltageSequence?.Dispose();
        VoltageSequence = null;
    }

    /// <summary>The current potential, or a fresh resting one. Refuses state left over from a differently shaped input.</summary>
    Tensor StateFor(Tensor x)
    {
        if (_v is null || _v.IsInvalid)
        {
            _v = torch.full_like(x, RestingPotential).DetachFromDisposeScope();
            return _v;
        }
        if (!_v.shape.SequenceEqual(x.shape))
            throw new InvalidOperationException(
                $"{GetName()}: input shape {ShapeText.Format(x.shape)} does not match the state left by the previous " +
                $"step {ShapeText.Format(_v.shape)}. Call Functional.ResetNet(model) (or use Functional.Episode) " +
                "before each new sample sequence.");
        return _v;
    }

    Tensor Reset(Tensor h, Tensor spike)
    {
        using var s = DetachReset ? spike.detach() : spike.alias();
        if (VReset is { } vReset)
        {
            using var keep = 1.0 - s;
            if (vReset == 0.0) return h * keep;
            using var kept = h * keep;
            using var reset = s * vReset;
            return kept + reset;
        }
        using var subtract = s * VThreshold;
        return h - subtract;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) ResetState();
        base.Dispose(disposing);
    }
}
