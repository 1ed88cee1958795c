namespace ReSpike.Training.Hooks;

/// <summary>The hooks every run gets (mmaction2's default_hooks), in the order they must run.</summary>
public static class DefaultHooks
{
    /// <summary>
    /// tcmalloc's free pages returned every few steps, metrics.jsonl, TensorBoard epoch scalars, per-layer firing rates, the run.log interval line (when
    /// <see cref="TrainingOptions.LogEvery"/> &gt; 0), curves, summary.json, then the checkpoints: last.safetensors
    /// is written after every other file of an epoch, so a resume point never runs ahead of them.
    /// </summary>
    public static List<ITrainingHook> For(TrainingOptions options)
    {
        var hooks = new List<ITrainingHook> { new FreeMemoryHook(), new MetricsLogHook(), new TensorBoardHook(), new FiringRateHook() };
        if (options.LogEvery > 0) hooks.Add(new IntervalLogHook(options.LogEvery));
        hooks.AddRange([new CurvesHook(), new SummaryHook(), new CheckpointHook()]);
        return hooks;
    }
}
