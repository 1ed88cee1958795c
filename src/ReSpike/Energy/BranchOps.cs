namespace ReSpike.Energy;

/// <summary>
/// Operation totals of one branch (or of the whole network when <see cref="Branch"/> is null): MACs on
/// real-valued inputs, accumulates on spikes, the dense synaptic ops those accumulates came from, and plain
/// adds/compares on real-valued inputs (pooling, norm statistics), which cost an accumulate each.
/// </summary>
public sealed record BranchOps(Branch? Branch, double Macs, double Acs, double SpikeOps, double Adds)
{
    /// <summary>Accumulates per dense spike-driven op: the synaptic-op-weighted firing rate.</summary>
    public double EffectiveFiringRate => SpikeOps > 0 ? Acs / SpikeOps : 0;

    public double Millijoules(EnergyModel energy) => energy.Millijoules(Macs, Acs + Adds);

    public static BranchOps Sum(Branch? branch, IEnumerable<LayerOps> layers)
    {
        double macs = 0, acs = 0, spikeOps = 0, adds = 0;
        foreach (var l in layers)
        {
            macs += l.Macs;
            acs += l.Acs;
            spikeOps += l.SpikeOps;
            adds += l.Adds;
        }
        return new BranchOps(branch, macs, acs, spikeOps, adds);
    }
}
