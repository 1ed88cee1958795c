using System.Text.Json.Nodes;
using ReSpike.Data.Transforms;
using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// What `respike train` was asked to do, and the rules that turn it into a run: the options, the run folder and whether it
/// resumes. Precedence, lowest first: the defaults &lt; the config (--config NAME_OR_FILE; when resuming without --config,
/// the run folder's config.json) &lt; --set key=value (in order) &lt; explicit flags. Usage problems are
/// <see cref="ArgumentException"/>s naming the flag, key or file; an unreadable config file is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed record TrainingInvocation
{
    /// <summary>--config: a name in configs/ (see <see cref="NamedConfigs"/>) or a JSON file.</summary>
    public string? Config { get; init; }

    /// <summary>--set key=value assignments, applied in order after the config.</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    public TrainingFlags Flags { get; init; } = new();

    /// <summary>--out: the run folder (optional only with --resume CKPT, whose folder it then is).</summary>
    public string? Out { get; init; }

    /// <summary>--resume was given (alone: continue --out's last.safetensors).</summary>
    public bool Resume { get; init; }

    /// <summary>--resume CKPT: the checkpoint to continue.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>--init FILE: a checkpoint whose weights start a new run.</summary>
    public string? Init { get; init; }

    /// <summary>Applies the rules; the options are validated.</summary>
    public TrainingPlan Build()
    {
        bool resume = Resume || ResumeFrom is not null;
        if (resume && Init is not null)
            throw new ArgumentException("--init starts a new run from a checkpoint's weights and --resume continues a run: pass one of them");
        string? checkpoint = null;
        if (ResumeFrom is not null)
        {
            checkpoint = Path.GetFullPath(ResumeFrom);
            if (!File.Exists(checkpoint)) throw new ArgumentException($"--resume: checkpoint not found: {checkpoint}");
        }
        var outDir = Out is not null ? Path.GetFullPath(Out)
            : checkpoint is not null ? Path.GetDirectoryName(checkpoint)!
            : throw new ArgumentException("--out is required (the run folder), except with --resume CKPT, which continues in the checkpoint's folder");
        var files = new RunFiles(outDir);
        // a run's own config.json: the one beside the checkpoint being resumed, else --out's
        var runConfig = checkpoint is not null ? Path.Combine(Path.GetDirectoryName(checkpoint)!, "config.json") : files.Config;
        if (checkpoint is not null && checkpoint != files.Last && File.Exists(files.Last))
            throw new ArgumentException($"--out: {outDir} already holds a run (last.safetensors); resume {checkpoint} into an empty --out, or pass --resume {files.Last}");

        var baseline = Baseline(resume ? runConfig : null);
        return new TrainingPlan(ApplyFlags(baseline, resume).Validate(), outDir, resume, checkpoint);
    }

    /// <summary>The config (file or run's config.json, else the defaults) with the --set assignments applied.</summary>
    TrainingOptions Baseline(string? runConfig)
    {
        string? file = Config is not null ? NamedConfigs.Resolve(Config) : runConfig is not null && File.Exists(runConfig) ? runConfig : null;
        if (Sets.Count == 0) return file is null ? new TrainingOptions() : TrainingOptions.FromJsonFile(file);
        JsonObject json;
        try { json = file is null ? new JsonObject() : JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new InvalidDataException($"{file}: a training config is a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{file}: not a valid training config: {e.Message}"); }
        ConfigAssignments.Apply(json, Sets);
        var source = (file ?? "the defaults") + " with --set " + string.Join(" --set ", Sets);
        return TrainingOptions.FromJson(json.ToJsonString(), source);
    }

    TrainingOptions ApplyFlags(TrainingOptions b, bool resume)
    {
        var f = Flags;
        var m = b.Model with
        {
            Name = f.Model ?? b.Model.Name,
            Backbone = f.Backbone ?? b.Model.Backbone,
            Stride = f.Stride ?? b.Model.Stride,
            Frames = f.Frames ?? b.Model.Frames,
            ImageSize = f.Image ?? b.Model.ImageSize,
            Fusion = f.Fusion is { } fusion ? ModelNames.ParseFusion(fusion) : b.Model.Fusion,
        };
        var pretrained = f.Pretrained ?? b.Pretrained;
        var init = Init ?? b.Init;
        // the weights a new run starts from must exist now, not after the dataset was opened; a resumed run does not read them
        if (!resume)
        {
            string? From(string? flag, string field) => flag is not null ? "" : $" (the config's \"{field}\")";
            if (pretrained is not null && !File.Exists(pretrained))
                throw new ArgumentException($"--pretrained{From(f.Pretrained, "pretrained")}: file not found: {Path.GetFullPath(pretrained)}");
            if (init is not null && !File.Exists(init))
                throw new ArgumentException($"--init{From(Init, "init")}: file not found: {Path.GetFullPath(init)}");
        }
        return b with
        {
            Model = m,
            Data = f.Data.Apply(b.Data),
            BatchSize = f.Batch ?? b.BatchSize,
            Accumulate = f.Accumulate ?? b.Accumulate,
            FreezeBatchNorm = f.FreezeBatchNorm || b.FreezeBatchNorm,
            RecomputeSpikeLayers = f.RecomputeSpikeLayers || b.RecomputeSpikeLayers,
            Epochs = f.Epochs ?? b.Epochs,
            LearningRate = f.LearningRate ?? b.LearningRate,
            Optimizer = f.Optimizer ?? b.Optimizer,
            Schedule = f.Schedule ?? b.Schedule,
            WeightDecay = f.WeightDecay ?? b.WeightDecay,
            WarmupEpochs = f.Warmup ?? b.WarmupEpochs,
            Seed = f.Seed ?? b.Seed,
            Sampling = f.Sampling ?? b.Sampling,
            TrainCrop = f.TrainCrop is { } tc ? TrainCrops.Parse(tc) : b.TrainCrop,
            TestCrop = f.TestCrop is { } ec ? TestCrops.Parse(ec) : b.TestCrop,
            MinCropScale = f.MinCropScale ?? b.MinCropScale,
            HorizontalFlip = !f.NoFlip && b.HorizontalFlip,
            Pretrained = pretrained is null ? null : Path.GetFullPath(pretrained),
            Init = init is null ? null : Path.GetFullPath(init),
            Evaluate = !f.NoEval && b.Evaluate,
            Threads = f.Threads ?? b.Threads,
            SaveEvery = f.SaveEvery ?? b.SaveEvery,
            SegmentLoss = f.SegmentLoss || b.SegmentLoss,
        };
    }
}
