namespace ReSpike.Training.Hooks;

/// <summary>metrics.jsonl: one line per finished epoch, rewritten atomically after each (a resumed run first drops epochs it will redo).</summary>
public sealed class MetricsLogHook : ITrainingHook
{
    public void BeforeRun(TrainingContext context) => new MetricsLog(context.Files.Metrics).Write(context.History);

    public void AfterEpoch(TrainingContext context) => new MetricsLog(context.Files.Metrics).Write(context.History);
}
