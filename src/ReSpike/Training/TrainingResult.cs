namespace ReSpike.Training;

/// <summary>How a run ended and where its files are.</summary>
public sealed record TrainingResult(
    RunFiles Files,
    IReadOnlyList<EpochMetrics> Epochs,
    bool Interrupted,
    int BestEpoch,
    double BestMetric,
    IReadOnlyList<Data.SkippedVideo> Skipped,
    EvaluationReport? LastEvaluation,
    double Seconds);
