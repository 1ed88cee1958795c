namespace ReSpike.Training;

/// <summary>
/// A training run ready to start (<see cref="TrainingInvocation.Build"/>): validated options, the run folder, whether it resumes,
/// and the checkpoint it resumes when that was named (--resume CKPT).
/// </summary>
public sealed record TrainingPlan(TrainingOptions Options, string OutputDirectory, bool Resume, string? ResumeCheckpoint)
{
    /// <summary>
    /// Readies the run folder: a checkpoint resumed into another --out is copied there as last.safetensors, with its run's
    /// metrics.jsonl, so the new folder continues the same history (the original run is left as it is).
    /// </summary>
    public void PrepareRunFolder()
    {
        var files = new RunFiles(OutputDirectory);
        if (ResumeCheckpoint is null || ResumeCheckpoint == files.Last) return;
        Directory.CreateDirectory(files.Directory);
        File.Copy(ResumeCheckpoint, files.Last, overwrite: false);
        var metrics = Path.Combine(Path.GetDirectoryName(ResumeCheckpoint)!, "metrics.jsonl");
        if (File.Exists(metrics) && !File.Exists(files.Metrics)) File.Copy(metrics, files.Metrics);
    }

    /// <summary>Runs the trainer for this plan (after <see cref="PrepareRunFolder"/>), data-parallel over <paramref name="group"/>'s ranks if given.</summary>
    public TrainingResult Run(ITrainingObserver? observer = null, CancellationToken cancel = default, Distributed.IProcessGroup? group = null)
    {
        // rank 0 readies the folder; the others, which may get there first, resume from the named checkpoint itself
        if (group is null || group.IsRoot) PrepareRunFolder();
        return new Trainer(Options, OutputDirectory, observer, group) { ResumeFrom = group is { IsRoot: false } ? ResumeCheckpoint : null }.Run(Resume, cancel);
    }
}
