namespace ReSpike.Training;

/// <summary>Per-class result of an evaluation.</summary>
public sealed record ClassAccuracy(string Name, int Videos, int Correct, double Accuracy);

/// <summary>
/// An evaluation: clip-level top-1 (the reference's protocol: each test clip of the training's sampling,
/// e.g. every consecutive clip or one TSN clip per video, one centre crop) and video-level top-1/top-5/mean-class accuracy (clip x crop probabilities averaged per video).
/// Confusion[true, predicted] counts videos.
/// </summary>
public sealed record EvaluationReport(
    double ClipTop1,
    double VideoTop1,
    double VideoTop5,
    double MeanClassAcc,
    int Videos,
    int Clips,
    int Skipped,
    int ClipsPerVideo,
    int Crops,
    IReadOnlyList<ClassAccuracy> PerClass,
    int[][] Confusion,
    IReadOnlyList<Data.SkippedVideo> SkippedVideos,
    double Seconds)
{
    /// <summary>The early-exit threshold tau the clips were run with (null: every segment, no exit).</summary>
    public double? ExitThreshold { get; init; }

    /// <summary>Segments a clip view used on average under early exit (of <see cref="Segments"/>).</summary>
    public double? MeanSegments { get; init; }

    /// <summary>Segments K = T/s of a full clip (reported with early exit).</summary>
    public int? Segments { get; init; }

    /// <summary>Energy per clip view in mJ (45 nm fp32), counted on the work the clip-level pass actually ran (early exit only).</summary>
    public double? EnergyMj { get; init; }
}
