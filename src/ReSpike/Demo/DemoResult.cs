namespace ReSpike.Demo;

/// <summary>One model's demo figures: overall and per class group, and its run folder.</summary>
public sealed record DemoModelResult(string Model, double VideoTop1, double MotionOnlyTop1, double AppearanceTop1, double? EnergyMj, double TrainSeconds, string RunDirectory);

/// <summary>The demo's outcome: the hybrid against the ANN-only variant on the same data and settings.</summary>
public sealed record DemoResult(DemoModelResult Hybrid, DemoModelResult Ann, double Seconds, string OutputDirectory);
