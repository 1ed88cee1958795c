using ReSpike.Models;

namespace ReSpike.Training.Hooks;

/// <summary>
/// The run's checkpoints: best.safetensors when an epoch beats the best clip top-1 so far, and last.safetensors (the
/// resume point: weights, optimizer state, <see cref="TrainingState"/>) after every epoch, every
/// <see cref="TrainingOptions.SaveEvery"/> steps and at the last step before the evaluation, and where a cancelled run
/// stopped. Keep it after the hooks that write other epoch files: last.safetensors moves the resume point past the
/// epoch, so everything the epoch writes must already be on disk.
/// </summary>
public sealed class CheckpointHook : ITrainingHook
{
    public void AfterStep(TrainingContext c)
    {
        int every = c.Options.SaveEvery;
        // a resume point every N steps, and one before the evaluation, so a hard kill loses at most N steps
        if (every > 0 && (c.Step % every == 0 || c.Step == c.Batches) && !c.Cancel.IsCancellationRequested)
            SaveLast(c);
    }

    public void AfterEpoch(TrainingContext c)
    {
        if (c.IsBest)
            Checkpoint.Save(c.Model, c.Files.Best, c.ClassNames, new Dictionary<string, string> { [Checkpoint.EpochKey] = c.Metrics!.Epoch.ToString() });
        SaveLast(c);
    }

    public void AfterRun(TrainingContext c)
    {
        if (c.Outcome != RunOutcome.Interrupted) return;
        SaveLast(c);
        c.Observer.Message($"interrupted at epoch {c.Epoch + 1}, step {c.Step}: saved {c.Files.Last}; rerun with --resume to continue");
    }

    static void SaveLast(TrainingContext c) => TrainingCheckpoint.Save(c.Files.Last, c.Model, c.Optimizer, c.State, c.ClassNames);
}
