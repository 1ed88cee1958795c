using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ReSpike.Data;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// Everything that defines a training run. Saved as config.json beside the run; a JSON file with
/// any subset of these fields can be passed to `train --config`, and flags override it (the paper's recipes are
/// configs/*.json). The optimizer defaults are the reference's (SGD momentum 0.9, weight decay 1e-4, cosine over the
/// epochs, lr 0.01 = its argparse default); epochs, batch size and the missing ImageNet weights are not (docs/training.md).
/// </summary>
public sealed record TrainingOptions
{
    public ReSpikeConfig Model { get; init; } = new();
    public DatasetSpec Data { get; init; } = new();
    public int Epochs { get; init; } = 10;
    /// <summary>Clips per forward pass on each rank (a micro-batch); one step takes <see cref="GlobalBatch"/> clips.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Micro-batches of <see cref="BatchSize"/> whose gradients one optimizer step averages (--accumulate): the step's batch is
    /// BatchSize × Accumulate × ranks clips, its gradient their mean. 1: a step per batch.
    /// </summary>
    public int Accumulate { get; init; } = 1;

    /// <summary>BatchNorm layers use and keep their running statistics while training (--freeze-bn; see <see cref="FrozenBatchNorm"/>).</summary>
    public bool FreezeBatchNorm { get; init; }

    /// <summary>
    /// Spiking layers keep only their input spikes, one byte each, and run again in backward (--recompute-spike-layers;
    /// <see cref="Spiking.Functional.SetRecomputeSpikeLayers"/>): less training memory for one more forward of them, same gradients.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]   // absent unless set: older config.json files read and compare as before
    public bool RecomputeSpikeLayers { get; init; }
    public double LearningRate { get; init; } = 0.01;
    /// <summary>A registered optimizer (<see cref="Optimizers.OptimizerRegistry"/>): sgd or adamw.</summary>
    public string Optimizer { get; init; } = "sgd";
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public int WarmupEpochs { get; init; }

    /// <summary>A registered learning-rate schedule (<see cref="ScheduleRegistry"/>): cosine.</summary>
    public string Schedule { get; init; } = "cosine";
    public int Seed { get; init; } = 1001;

    /// <summary>
    /// Clip sampling: "clips" (every consecutive clip, the reference's UCF-101/HMDB-51), "segments" (TSN, random
    /// offsets: the reference's Kinetics-400), "segments:centre" or "uniform:N". Evaluation samples the same way.
    /// </summary>
    public string Sampling { get; init; } = "clips";

    /// <summary>Smallest area fraction RandomResizedCrop may keep (reference 0.08; small or synthetic frames train better with more).</summary>
    public double MinCropScale { get; init; } = 0.08;

    /// <summary>Training crop: random-resized (UCF-101/HMDB-51 reference) or multiscale (Kinetics-400 reference's corner crop).</summary>
    public TrainCrop TrainCrop { get; init; } = TrainCrop.RandomResized;

    /// <summary>Test transform: centre (shorter side S, UCF-101/HMDB-51 reference) or scaled-centre (8/7·S then S, Kinetics-400 reference).</summary>
    public TestCrop TestCrop { get; init; } = TestCrop.Centre;

    /// <summary>Random horizontal flip (reference: on). Turn it off when classes differ by left/right direction (a flip would swap them).</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>
    /// The training transform as named steps (config.json's train_pipeline, e.g.
    /// <c>[{"type": "random-resized-crop", "size": 112, "scale": [0.08, 1], ...}, {"type": "flip", "p": 0.5}, {"type": "normalize", ...}]</c>).
    /// Null: built from <see cref="MinCropScale"/>, <see cref="TrainCrop"/> and <see cref="HorizontalFlip"/>. Given, it is used as
    /// it is; those fields must then be left at their defaults or describe the same pipeline (a run's config.json has both),
    /// else <see cref="Validate"/> fails naming them. <see cref="Validate"/> fills it in, so config.json always holds it.
    /// </summary>
    public ClipPipeline? TrainPipeline { get; init; }

    /// <summary>
    /// The test transform as named steps (config.json's test_pipeline, e.g. resize-short → centre-crop → normalize); eval and
    /// predict use the checkpoint run's. Null: built from <see cref="TestCrop"/>, which must then be left at its default or agree.
    /// </summary>
    public ClipPipeline? TestPipeline { get; init; }

    /// <summary>Per-epoch evaluation on the test subset with the training's sampling and <see cref="TestCrop"/>.</summary>
    public bool Evaluate { get; init; } = true;

    /// <summary>Torchvision ImageNet weights (safetensors) for the ANN branch.</summary>
    public string? Pretrained { get; init; }

    /// <summary>
    /// A ReSpike checkpoint (e.g. `respike init`'s output or another run's best.safetensors) whose weights start the run
    /// (--init): every tensor must match the model by name and shape; the optimizer state starts fresh.
    /// </summary>
    public string? Init { get; init; }

    /// <summary>
    /// Also save last.safetensors every N training steps and before each evaluation (0: only at the end of each epoch
    /// and on Ctrl-C). A hard kill (kill -9, out of memory, power loss of the process) then loses at most N steps.
    /// </summary>
    public int SaveEvery { get; init; }

    /// <summary>A line in run.log and per-step TensorBoard scalars every N training steps (0: none).</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>
    /// Train for early exit (--segment-loss): cross-entropy on each segment's running mean of logits, averaged over the
    /// K segments (TET-style, <see cref="TrainingStep.SegmentLoss"/>), instead of on the clip's mean only. ReSpike variants only.
    /// </summary>
    public bool SegmentLoss { get; init; }

    public int Threads { get; init; }
    public int Prefetch { get; init; } = 2;

    /// <summary>The serializer settings of config.json (snake_case names, kebab-case enums); the source of `--set`'s key names and types.</summary>
    internal static JsonSerializerOptions JsonOptions => Json;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitFieldsAPipelineReplaces } },
    };

    /// <summary>
    /// The flat transform fields are written only when they build the pipeline beside them: next to a pipeline they
    /// do not describe they would read as if they applied (and reading them back would be a conflict).
    /// </summary>
    static void OmitFieldsAPipelineReplaces(JsonTypeInfo info)
    {
        if (info.Type != typeof(TrainingOptions)) return;
        foreach (var property in info.Properties)
        {
            if (property.Name is "min_crop_scale" or "train_crop" or "horizontal_flip")
                property.ShouldSerialize = (o, _) => o is TrainingOptions t && Describes(t.TrainPipeline, () => ClipPipeline.Train(t.Model.ImageSize, t.MinCropScale, t.HorizontalFlip, t.TrainCrop));
            else if (property.Name == "test_crop")
                property.ShouldSerialize = (o, _) => o is TrainingOptions t && Describes(t.TestPipeline, () => ClipPipeline.Test(t.Model.ImageSize, 1, t.TestCrop));
        }
    }

    static bool Describes(ClipPipeline? pipeline, Func<ClipPipeline> fromFields)
    {
        if (pipeline is null) return true;
        try { return pipeline.SameAs(fromFields()); }
        catch (ArgumentException) { return true; } // fields out of range: written as given, Validate names them
    }

    /// <summary>Clips per optimizer step on <paramref name="ranks"/> ranks: --batch × --accumulate × ranks.</summary>
    public int GlobalBatch(int ranks) => BatchSize * Accumulate * ranks;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a (partial) config file; unknown fields are an error naming the file.</summary>
    public static TrainingOptions FromJsonFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--config: file not found: {path}", path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Reads a (partial) config from JSON text; errors name <paramref name="source"/> (a file, or a file and its --set overrides).</summary>
    public static TrainingOptions FromJson(string json, string source)
    {
        try
        {
            var options = new JsonSerializerOptions(Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
            return JsonSerializer.Deserialize<TrainingOptions>(json, options)
                   ?? throw new InvalidDataException($"{source}: empty config");
        }
        catch (JsonException e)
        {
            // the serializer's own messages carry the path; a step's do not, so name the field (e.g. "train_pipeline: step 2: ...")
            var field = e.Path is { Length: > 2 } p && !e.Message.Contains("Path: ") ? p[2..] + ": " : "";
            throw new InvalidDataException($"{source}: not a valid training config: {field}{e.Message}");
        }
    }

    /// <summary>
    /// These options with every path under <paramref name="directory"/> (the working directory when config.json is written)
    /// made relative to it, so a run folder's config.json names no machine-specific location for data inside the project;
    /// paths elsewhere stay absolute. Relative paths in a config are read relative to the working directory.
    /// </summary>
    public TrainingOptions WithPathsRelativeTo(string directory)
    {
        var root = Path.GetFullPath(directory);
        string? Relative(string? path)
        {
            if (path is null) return null;
            var full = Path.GetFullPath(path);
            var relative = Path.GetRelativePath(root, full);
            return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        }
        return this with
        {
            Pretrained = Relative(Pretrained),
            Init = Relative(Init),
            Data = Data with
            {
                Root = Relative(Data.Root),
                Annotations = Relative(Data.Annotations),
                TestAnnotations = Relative(Data.TestAnnotations),
                LabelMap = Relative(Data.LabelMap),
                CacheDirectory = Relative(Data.CacheDirectory),
            },
        };
    }

    /// <summary>Checks every field (errors name the flag) and returns the options with the decode size filled in for --image.</summary>
    public TrainingOptions Validate()
    {
        Model.Validate();
        if (Epochs < 1) throw new ArgumentException($"--epochs must be >= 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be >= 1, got {BatchSize}");
        if (Accumulate < 1) throw new ArgumentException($"--accumulate must be >= 1 micro-batches per step, got {Accumulate}");
        if (!(LearningRate > 0)) throw new ArgumentException($"--lr must be > 0, got {LearningRate}");
        if (!Optimizers.OptimizerRegistry.Optimizers.Contains(Optimizer)) throw Optimizers.OptimizerRegistry.Optimizers.Unknown(Optimizer);
        if (!ScheduleRegistry.Schedules.Contains(Schedule)) throw ScheduleRegistry.Schedules.Unknown(Schedule);
        if (WarmupEpochs < 0 || WarmupEpochs >= Epochs) throw new ArgumentException($"--warmup must be in 0..{Epochs - 1} epochs, got {WarmupEpochs}");
        if (!(MinCropScale > 0 && MinCropScale <= 1)) throw new ArgumentException($"--min-crop-scale must be in (0, 1], got {MinCropScale}");
        if (Evaluate && Data.Kind is DatasetKind.Kinetics400 or DatasetKind.Rawframes && Data.Annotations is not null && Data.TestAnnotations is null)
            throw new ArgumentException("--test-annotations: with --annotations naming the training list, per-epoch evaluation needs the test list too (or pass --no-eval)");
        ClipSampler.Parse(Sampling, Model.Frames);
        if (SaveEvery < 0) throw new ArgumentException($"--save-every must be >= 0 steps (0: at the end of each epoch only), got {SaveEvery}");
        if (Init is not null && Pretrained is not null)
            throw new ArgumentException($"--init {Init} and --pretrained {Pretrained} both set the starting weights (init: every tensor; pretrained: the ANN's ImageNet weights); pass one of them");
        if (LogEvery < 0) throw new ArgumentException($"log_every must be >= 0 steps (0: no interval log), got {LogEvery}");
        if (SegmentLoss && !ReSpikeNet.Registrations.Any(r => r.Name == Model.Name))
            throw new ArgumentException($"--segment-loss: model '{Model.Name}' has no key-frame segments; it trains ReSpike variants ({string.Join(", ", ReSpikeNet.Registrations.Select(r => r.Name))})");
        if (WeightDecay < 0) throw new ArgumentException($"--weight-decay must be >= 0, got {WeightDecay}");
        var train = Pipeline(TrainPipeline, ClipPipeline.Train(Model.ImageSize, MinCropScale, HorizontalFlip, TrainCrop), "train_pipeline", TrainFieldsSet());
        var test = Pipeline(TestPipeline, ClipPipeline.Test(Model.ImageSize, 1, TestCrop), "test_pipeline",
            TestCrop != Defaults.TestCrop ? [$"test_crop (--test-crop) {TestCrop.Name()}"] : []);
        // a run's own test pipeline keeps the --test-crop wording of the decode-size error
        // the multi-scale crop cuts min(W, H) x [1, .875, .75, .66] and resizes to S: decoded at S it would only ever
        // upscale, so by default decode where the reference's K400 frames are (8/7 S: 256 for 224)
        int? preferred = train.Steps.Any(step => step is MultiScaleCrop) ? TestCrop.ScaledCentre.ShortSide(Model.ImageSize) : null;
        var data = TestPipeline is null || TestPipeline.SameAs(ClipPipeline.Test(Model.ImageSize, 1, TestCrop))
            ? Data.ForImage(Model.ImageSize, TestCrop, preferred)
            : Data.ForImage(Model.ImageSize, test, preferred);
        return this with { Data = data, TrainPipeline = train, TestPipeline = test };
    }

    static readonly TrainingOptions Defaults = new();

    /// <summary>The flat train-transform fields set away from their defaults, named as config.json and the flags spell them.</summary>
    List<string> TrainFieldsSet()
    {
        var set = new List<string>();
        if (MinCropScale != Defaults.MinCropScale) set.Add($"min_crop_scale (--min-crop-scale) {MinCropScale}");
        if (TrainCrop != Defaults.TrainCrop) set.Add($"train_crop (--train-crop) {TrainCrop.Name()}");
        if (HorizontalFlip != Defaults.HorizontalFlip) set.Add($"horizontal_flip (--no-flip) {(HorizontalFlip ? "true" : "false")}");
        return set;
    }

    /// <summary>
    /// The explicit pipeline if given, else the one the flat fields build. Both given and different is an error naming the fields
    /// (an explicit pipeline only wins over fields left at their defaults), as is a pipeline whose crop is not --image.
    /// </summary>
    ClipPipeline Pipeline(ClipPipeline? given, ClipPipeline fromFields, string field, List<string> fieldsSet)
    {
        if (given is null) return fromFields;
        // the network was built for ImageNet-normalised S×S input: a pipeline must end there
        if (given.Steps.Count(step => step is Normalize) != 1)
            throw new ArgumentException($"{field}: {given.Describe()} must have exactly one normalize step (the network expects ImageNet-normalised input)");
        int lastCrop = given.Steps.ToList().FindLastIndex(step => step.OutputSize is not null);
        if (given.Steps.Skip(lastCrop + 1).OfType<Resize>().FirstOrDefault() is { } late)
            throw new ArgumentException($"{field}: {given.Describe()} resizes after its last crop ({late.Describe()}); put resize-short before the crop");
        if (given.ImageSize != Model.ImageSize)
            throw new ArgumentException($"{field}: {given.Describe()} makes {given.ImageSize}x{given.ImageSize} views but the model's image_size (--image) is {Model.ImageSize}; change the crop sizes in {field} or remove it");
        if (fieldsSet.Count > 0 && !given.SameAs(fromFields))
            throw new ArgumentException($"{field} and {string.Join(", ", fieldsSet)} both set the transform and disagree: {field} is {given.Describe()}, the fields give {fromFields.Describe()}; " +
                                        $"drop those fields (or flags) to use {field}, or remove {field} to use them");
        return given;
    }

    /// <summary>The pipelines as printed when training starts ("train pipeline: ... → ...", "test pipeline: ..."); call on validated options.</summary>
    public IEnumerable<string> DescribePipelines()
    {
        var valid = TrainPipeline is null || TestPipeline is null ? Validate() : this;
        yield return $"train pipeline: {valid.TrainPipeline!.Describe()}";
        yield return $"test pipeline: {valid.TestPipeline!.Describe()}";
    }
}
