namespace ReSpike.Energy;

/// <summary>
/// Operation counts of one layer (summed over its calls, or per sample after <see cref="Scaled"/>).
/// <see cref="Ops"/> is the dense count; the part computed on binary spike inputs is <see cref="SpikeOps"/>, of
/// which only <see cref="Acs"/> = Σ ops × input firing rate happen (a zero spike triggers nothing). On real-valued
/// inputs, <see cref="Adds"/> are plain additions or comparisons (pooling, norm statistics) and the rest are
/// multiply-accumulates: <see cref="Macs"/> = Ops - SpikeOps - Adds.
/// </summary>
public sealed record LayerOps(string Name, OpKind Kind, Branch Branch, long Calls, double Ops, double SpikeOps, double Acs, double Adds)
{
    /// <summary>Multiply-accumulates: multiply-adds whose inputs were real-valued.</summary>
    public double Macs => Ops - SpikeOps - Adds;

    /// <summary>True when the layer's input was binary spikes.</summary>
    public bool SpikeDriven => SpikeOps > 0;

    /// <summary>Measured (or assumed) firing rate of the layer's spike input; null for real-valued input.</summary>
    public double? InputFiringRate => SpikeOps > 0 ? Acs / SpikeOps : null;

    /// <summary>Energy of this layer in picojoules: an add without a multiply costs what an accumulate does.</summary>
    public double Picojoules(EnergyModel energy) => Macs * energy.MacPicojoules + (Acs + Adds) * energy.AcPicojoules;

    /// <summary>All counts times <paramref name="factor"/> (e.g. 1/samples for per-sample figures).</summary>
    public LayerOps Scaled(double factor) => this with { Ops = Ops * factor, SpikeOps = SpikeOps * factor, Acs = Acs * factor, Adds = Adds * factor };

    /// <summary>The accumulates this layer would do if its spike input fired at <paramref name="rate"/>.</summary>
    public LayerOps WithFiringRate(double rate) => this with { Acs = SpikeOps * rate };
}
