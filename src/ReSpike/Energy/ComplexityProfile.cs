namespace ReSpike.Energy;

/// <summary>Where a profile's firing rates come from.</summary>
public enum FiringRateSource
{
    /// <summary>The network has no spike-driven layer.</summary>
    None,
    /// <summary>Measured on the samples the network ran.</summary>
    Measured,
    /// <summary>One rate given by the user for every spike-driven layer.</summary>
    Assumed,
}

/// <summary>
/// Operation counts per sample (one clip), per layer, with the measured firing rates. Branch and total figures
/// are sums over <see cref="Layers"/>; energy follows an <see cref="EnergyModel"/>.
/// </summary>
public sealed record ComplexityProfile(IReadOnlyList<LayerOps> Layers, FiringRates FiringRates, int Samples, double? AssumedFiringRate = null)
{
    public FiringRateSource RateSource =>
        AssumedFiringRate is not null ? FiringRateSource.Assumed
        : Layers.Any(l => l.SpikeDriven) || FiringRates.Layers.Count > 0 ? FiringRateSource.Measured
        : FiringRateSource.None;

    /// <summary>The assumed rate, else the measured overall rate of the spiking neurons (0 without any).</summary>
    public double FiringRate => AssumedFiringRate ?? FiringRates.Overall;

    public BranchOps Branch(Branch branch) => BranchOps.Sum(branch, Layers.Where(l => l.Branch == branch));

    public BranchOps Total => BranchOps.Sum(null, Layers);

    public double Millijoules(EnergyModel energy) => Total.Millijoules(energy);

    /// <summary>Totals per op class (conv, linear, attention products, ...), MACs and ACs together.</summary>
    public IReadOnlyDictionary<OpKind, BranchOps> ByKind() =>
        Layers.GroupBy(l => l.Kind).ToDictionary(g => g.Key, g => BranchOps.Sum(null, g));

    /// <summary>The same counts with every spike-driven layer firing at <paramref name="rate"/> instead of the measured rate.</summary>
    public ComplexityProfile WithAssumedFiringRate(double rate)
    {
        if (!(rate >= 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "--firing-rate: a firing rate is between 0 and 1");
        return this with { Layers = Layers.Select(l => l.WithFiringRate(rate)).ToList(), AssumedFiringRate = rate };
    }
}
