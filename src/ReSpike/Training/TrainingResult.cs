namespace ReSpike.Training;

/// <summary>
/// How a run ended and where its files are. <see cref="BestEpoch"/> and <see cref="BestMetric"/> are the epoch
/// best.safetensors holds and its clip-level top-1 (minus the training loss without evaluation); <see cref="Summary"/>
/// adds the best epoch by video-level top-1 and the last epoch. <see cref="Warnings"/> were reported when the run started.
/// </summary>
public sealed record TrainingResult(
    RunFiles Files,
    IReadOnlyList<EpochMetrics> Epochs,
    bool Interrupted,
    int BestEpoch,
    double BestMetric,
    RunSummary Summary,
    IReadOnlyList<Data.SkippedVideo> Skipped,
    EvaluationReport? LastEvaluation,
    IReadOnlyList<TrainingWarning> Warnings,
    double Seconds);
