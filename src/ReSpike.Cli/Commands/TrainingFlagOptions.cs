using System.CommandLine;
using System.Globalization;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Training;
using ReSpike.Training.Optimizers;

namespace ReSpike.Cli.Commands;

/// <summary>
/// The flags that shape a training run (config, --set, model, data, optimisation, --threads): `respike train` takes them all,
/// the experiment verbs take them as the settings their cells share. <see cref="Flags"/> reads the typed ones.
/// </summary>
sealed class TrainingFlagOptions
{
    /// <param name="allSplits">--split also accepts all (the experiment verbs).</param>
    public TrainingFlagOptions(bool allSplits = false)
    {
        Data = new DatasetOptions(allSplits);
        Config = new Option<string?>("--config")
        {
            Description = "Training config: a name from configs/ (e.g. respike_r18_8x4_10e_weizmann4; an unknown name lists them) or a JSON file " +
                          "(fields as in a run's config.json, which reproduces its run). Precedence: config < --set < flags.",
            HelpName = "NAME|FILE",
        }.InGroup(HelpGroup.Run);
        Set = new Option<string[]>("--set")
        {
            Description = "Override one config field, by config.json's key (dotted for nested; repeatable): --set epochs=1 --set model.stride=2 " +
                          "--set data.decode.short_side=128. Applied after --config, before the flags.",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        }.InGroup(HelpGroup.Run);
        // nullable, so that a flag left out keeps the config's value: [default: X] is the library's value without a config
        var d = new TrainingOptions();
        static string T(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        Model = CommonOptions.Model();
        Backbone = CommonOptions.Backbone();
        Image = new Option<int?>("--image") { Description = "Crop size in pixels (a multiple of 16)." }.DefaultText(T(d.Model.ImageSize)).InGroup(HelpGroup.Model);
        Frames = new Option<int?>("--frames") { Description = "Frames per clip T, a multiple of the stride." }.DefaultText(T(d.Model.Frames)).InGroup(HelpGroup.Model);
        Stride = new Option<int?>("--stride") { Description = "Key-frame stride s (s-1 residual frames per key frame)." }.DefaultText(T(d.Model.Stride)).InGroup(HelpGroup.Model);
        Fusion = new Option<string?>("--fusion") { Description = CommonOptions.FusionDescription }.AcceptOnly([.. ModelNames.FusionNames]).DefaultText(d.Model.Fusion.Name()).InGroup(HelpGroup.Model);
        Pretrained = new Option<FileInfo?>("--pretrained") { Description = "Torchvision ImageNet weights (safetensors, see README) for the ANN branch, as the paper; without them the ANN starts from scratch (a warning says so). For r3d-18, mc3-18, r2plus1d-18: torchvision's Kinetics-400 video weights (.pth or .safetensors; docs/baselines.md). For spikingresformer-*: an official checkpoint (.pth or safetensors)." }.InGroup(HelpGroup.Model);
        Init = new Option<FileInfo?>("--init") { Description = "Start a new run from a ReSpike checkpoint's weights (respike init's output, another run's best.safetensors); every tensor must match by name and shape; the optimizer starts fresh." }.InGroup(HelpGroup.Model);
        Batch = new Option<int?>("--batch") { Description = "Clips per batch (the reference's runs use 32 on HMDB/UCF, 16 on K400)." }.DefaultText(T(d.BatchSize)).InGroup(HelpGroup.Optimisation);
        Accumulate = new Option<int?>("--accumulate") { Description = "Micro-batches of --batch per optimizer step (gradient accumulation); under MPI each rank accumulates its own: the step's batch is --batch x --accumulate x ranks." }
            .DefaultText(T(d.Accumulate)).InGroup(HelpGroup.Optimisation);
        FreezeBatchNorm = new Option<bool>("--freeze-bn") { Description = "BatchNorm layers keep their running statistics while training (affine weights still train): a clip's output no longer depends on its batch." }.InGroup(HelpGroup.Optimisation);
        RecomputeSpikeLayers = new Option<bool>("--recompute-spike-layers") { Description = "Less training memory: the spiking layers (conv + BatchNorm) keep only their input spikes, one byte each, and run again in backward (about 15 % more time per step; the same gradients). See docs/performance.md." }.InGroup(HelpGroup.Optimisation);
        SegmentLoss = new Option<bool>("--segment-loss") { Description = "Train for early exit: cross-entropy on each segment's running mean of logits (TET-style), so a prediction after the first k segments is reliable (eval/predict/stream --exit-threshold). ReSpike variants." }.InGroup(HelpGroup.Optimisation);
        Epochs = new Option<int?>("--epochs") { Description = "Epochs (the reference trains 100)." }.DefaultText(T(d.Epochs)).InGroup(HelpGroup.Optimisation);
        Lr = new Option<double?>("--lr") { Description = "Base learning rate (the reference's README uses 1e-4 with ImageNet weights)." }.DefaultText(T(d.LearningRate)).InGroup(HelpGroup.Optimisation);
        Optimizer = CommonOptions.OneOf("--optimizer", OptimizerRegistry.Optimizers, "Optimizer", d.Optimizer).InGroup(HelpGroup.Optimisation);
        Schedule = CommonOptions.OneOf("--schedule", ScheduleRegistry.Schedules, "Learning-rate schedule", d.Schedule).InGroup(HelpGroup.Optimisation);
        WeightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay." }.DefaultText(T(d.WeightDecay)).InGroup(HelpGroup.Optimisation);
        Warmup = new Option<int?>("--warmup") { Description = "Linear warm-up epochs before the cosine schedule." }.DefaultText(T(d.WarmupEpochs)).InGroup(HelpGroup.Optimisation);
        Seed = new Option<int?>("--seed") { Description = "Seed for init, data order and augmentation (the reference's)." }.DefaultText(T(d.Seed)).InGroup(HelpGroup.Optimisation);
        Sampling = CommonOptions.Sampling("Clips for training and evaluation: clips (all consecutive; the reference's UCF-101/HMDB-51), segments (one TSN clip per video, random offsets; the reference's Kinetics-400), segments:centre, uniform:N.")
            .DefaultText(d.Sampling);
        TrainCrop = CommonOptions.TrainCrop();
        TestCrop = CommonOptions.TestCrop(d.TestCrop.Name());
        MinCropScale = new Option<double?>("--min-crop-scale") { Description = "Smallest crop area fraction for RandomResizedCrop (the reference's)." }.DefaultText(T(d.MinCropScale)).InGroup(HelpGroup.Data);
        NoFlip = new Option<bool>("--no-flip") { Description = "No random horizontal flip (for classes that differ by left/right direction)." }.InGroup(HelpGroup.Data);
        NoEval = new Option<bool>("--no-eval") { Description = "Skip the per-epoch evaluation on the test subset." }.InGroup(HelpGroup.Output);
        SaveEvery = new Option<int?>("--save-every") { Description = "Also save last.safetensors every N steps and before each evaluation, so a hard kill (kill -9) loses at most N steps (0: at the end of each epoch only)." }
            .DefaultText(T(d.SaveEvery)).InGroup(HelpGroup.Output);
    }

    public DatasetOptions Data { get; }
    public Option<string?> Config { get; }
    public Option<string[]> Set { get; }
    public Option<string> Model { get; }
    public Option<string> Backbone { get; }
    public Option<int?> Image { get; }
    public Option<int?> Frames { get; }
    public Option<int?> Stride { get; }
    public Option<string?> Fusion { get; }
    public Option<FileInfo?> Pretrained { get; }
    public Option<FileInfo?> Init { get; }
    public Option<int?> Batch { get; }
    public Option<int?> Accumulate { get; }
    public Option<bool> FreezeBatchNorm { get; }
    public Option<bool> RecomputeSpikeLayers { get; }
    public Option<bool> SegmentLoss { get; }
    public Option<int?> Epochs { get; }
    public Option<double?> Lr { get; }
    public Option<string?> Optimizer { get; }
    public Option<string?> Schedule { get; }
    public Option<double?> WeightDecay { get; }
    public Option<int?> Warmup { get; }
    public Option<int?> Seed { get; }
    public Option<string?> Sampling { get; }
    public Option<string?> TrainCrop { get; }
    public Option<string?> TestCrop { get; }
    public Option<double?> MinCropScale { get; }
    public Option<bool> NoFlip { get; }
    public Option<bool> NoEval { get; }
    public Option<int?> SaveEvery { get; }
    public Option<int> Threads { get; } = CommonOptions.Threads();

    /// <summary>The typed flags (null where not given) for a <see cref="TrainingInvocation"/>.</summary>
    public TrainingFlags Flags(ParseResult parse)
    {
        bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
        return new TrainingFlags
        {
            Model = Given(Model) ? parse.GetValue(Model) : null,
            Backbone = Given(Backbone) ? parse.GetValue(Backbone) : null,
            Stride = parse.GetValue(Stride),
            Frames = parse.GetValue(Frames),
            Image = parse.GetValue(Image),
            Fusion = parse.GetValue(Fusion),
            Batch = parse.GetValue(Batch),
            Accumulate = parse.GetValue(Accumulate),
            FreezeBatchNorm = parse.GetValue(FreezeBatchNorm),
            RecomputeSpikeLayers = parse.GetValue(RecomputeSpikeLayers),
            Epochs = parse.GetValue(Epochs),
            LearningRate = parse.GetValue(Lr),
            Optimizer = parse.GetValue(Optimizer),
            Schedule = parse.GetValue(Schedule),
            WeightDecay = parse.GetValue(WeightDecay),
            Warmup = parse.GetValue(Warmup),
            Seed = parse.GetValue(Seed),
            Sampling = parse.GetValue(Sampling),
            TrainCrop = parse.GetValue(TrainCrop),
            TestCrop = parse.GetValue(TestCrop),
            MinCropScale = parse.GetValue(MinCropScale),
            NoFlip = parse.GetValue(NoFlip),
            Pretrained = parse.GetValue(Pretrained)?.FullName,
            NoEval = parse.GetValue(NoEval),
            Threads = Given(Threads) ? parse.GetValue(Threads) : null,
            SaveEvery = parse.GetValue(SaveEvery),
            SegmentLoss = parse.GetValue(SegmentLoss),
            Data = Data.Flags(parse),
        };
    }
}
