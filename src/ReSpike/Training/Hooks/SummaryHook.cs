using ReSpike.IO;

namespace ReSpike.Training.Hooks;

/// <summary>summary.json (<see cref="RunSummary"/>: best by clip top-1, best by video top-1, last), rewritten after every epoch.</summary>
public sealed class SummaryHook : ITrainingHook
{
    public void AfterEpoch(TrainingContext context) =>
        AtomicFile.WriteAllText(context.Files.Summary, RunSummary.From(context.History).ToJson() + "\n");
}
