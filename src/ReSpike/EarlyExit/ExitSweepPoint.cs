namespace ReSpike.EarlyExit;

/// <summary>
/// One early-exit evaluation of one checkpoint: tau, accuracy, the segments a clip used on average (of
/// <see cref="Segments"/>) and the energy per clip counted on the work done (45 nm fp32).
/// </summary>
public sealed record ExitSweepPoint(string Model, double Threshold, double ClipTop1, double VideoTop1, double MeanSegments, int Segments, double EnergyMj)
{
    /// <summary>Mean segments as a fraction of the full clip's.</summary>
    public double SegmentFraction => MeanSegments / Segments;
}
