namespace ReSpike.Energy;

/// <summary>Settings of <see cref="EnergyAnalysis.Run"/>.</summary>
public sealed record EnergyAnalysisOptions
{
    /// <summary>Samples (clips) to average firing rates over; the paper uses 100 test samples.</summary>
    public int Samples { get; init; } = EnergyProfiler.DefaultSamples;
    /// <summary>Charge every spike-driven layer at this rate instead of the measured one (then one sample suffices).</summary>
    public double? AssumedFiringRate { get; init; }
    /// <summary>Energy per MAC / AC; default 45 nm FP32 (4.6 / 0.9 pJ).</summary>
    public EnergyModel Energy { get; init; } = EnergyModel.Fp32;
    /// <summary>Also count the 2D ResNet of the same backbone on all T frames, for the ratio.</summary>
    public bool Baseline { get; init; } = true;
    /// <summary>Seed of the random clips used when no data is given.</summary>
    public long Seed { get; init; }
    /// <summary>What the clips are, for the report (e.g. "100 HMDB-51 split-1 test clips"); a default is made up.</summary>
    public string? InputDescription { get; init; }
    /// <summary>Checkpoint file the weights came from, for the report.</summary>
    public string? Checkpoint { get; init; }
}
