using ReSpike.Data;

namespace ReSpike.Training;

/// <summary>
/// The rules between `train`'s flags, a config file and --resume: the run starts from --config when given, else (on
/// --resume) from the run's own config.json, else from the defaults; every flag given overrides that base, and the
/// dataset flags apply over the base's dataset only when there is a base file.
/// </summary>
public static class TrainingInvocation
{
    /// <summary>The file the options start from, or null for the defaults.</summary>
    public static string? BaseFile(string? configFile, bool resume, RunFiles run) =>
        configFile ?? (resume && File.Exists(run.Config) ? run.Config : null);

    /// <summary>
    /// The run's options. <paramref name="data"/> gets the base file's dataset (null when there is no base file)
    /// and returns the dataset with the dataset flags applied.
    /// </summary>
    public static TrainingOptions Resolve(string? configFile, bool resume, RunFiles run, TrainingFlags flags, Func<DatasetSpec?, DatasetSpec> data)
    {
        var baseFile = BaseFile(configFile, resume, run);
        var baseline = baseFile is null ? new TrainingOptions() : TrainingOptions.FromJsonFile(baseFile);
        // a new run from a config that names ImageNet weights must find them before hours of indexing
        if (flags.Pretrained is null && baseline.Pretrained is { } fromConfig && !resume && !File.Exists(fromConfig))
            throw new ArgumentException($"--pretrained (the config's \"pretrained\"): file not found: {Path.GetFullPath(fromConfig)}");
        return Merge(baseline, flags, data(baseFile is null ? null : baseline.Data));
    }

    /// <summary><paramref name="baseline"/> with every given flag in place of its value, and <paramref name="data"/> as the dataset.</summary>
    public static TrainingOptions Merge(TrainingOptions baseline, TrainingFlags flags, DatasetSpec data) => baseline with
    {
        Model = flags.Model.ApplyTo(baseline.Model),
        Data = data,
        BatchSize = flags.BatchSize ?? baseline.BatchSize,
        Epochs = flags.Epochs ?? baseline.Epochs,
        LearningRate = flags.LearningRate ?? baseline.LearningRate,
        Optimizer = flags.Optimizer ?? baseline.Optimizer,
        Schedule = flags.Schedule ?? baseline.Schedule,
        WeightDecay = flags.WeightDecay ?? baseline.WeightDecay,
        WarmupEpochs = flags.WarmupEpochs ?? baseline.WarmupEpochs,
        Seed = flags.Seed ?? baseline.Seed,
        Sampling = flags.Sampling ?? baseline.Sampling,
        TrainCrop = flags.TrainCrop ?? baseline.TrainCrop,
        TestCrop = flags.TestCrop ?? baseline.TestCrop,
        MinCropScale = flags.MinCropScale ?? baseline.MinCropScale,
        HorizontalFlip = !flags.NoFlip && baseline.HorizontalFlip,
        Pretrained = flags.Pretrained ?? baseline.Pretrained,
        Evaluate = !flags.NoEval && baseline.Evaluate,
        Threads = flags.Threads ?? baseline.Threads,
        SaveEvery = flags.SaveEvery ?? baseline.SaveEvery,
    };
}
