using System.Diagnostics;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Energy;
using ReSpike.Data.Synthetic;
using ReSpike.Models;
using ReSpike.Training;

namespace ReSpike.Demo;

/// <summary>
/// `respike demo`: generates the synthetic dataset, trains ReSpike and the ANN-only variant on it
/// with identical settings, evaluates both and compares them overall, on the motion-only classes
/// (where one frame cannot tell the class, so the key-frame ANN is at chance) and on the appearance classes.
/// </summary>
public static class DemoRunner
{
    public static readonly IReadOnlyList<ModelVariant> Models = [ModelVariant.ReSpike, ModelVariant.Ann];

    public static DemoResult Run(DemoSettings settings, Func<string, ITrainingObserver> observerFor, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        var root = Path.GetFullPath(settings.OutputDirectory);
        var results = new List<DemoModelResult>();
        foreach (var variant in Models)
        {
            var name = variant.Name();
            var runDir = Path.Combine(root, name);
            ReplaceDemoFolder(runDir);
            var options = Options(settings, variant);
            // the demo compares both models trained from scratch on purpose: no ImageNet weights fit its synthetic classes
            var trainer = new Trainer(options, runDir, observerFor(name)) { SuppressedWarnings = new HashSet<string> { TrainingWarning.AnnFromScratch } };
            var result = trainer.Run(cancel: cancel);
            if (result.Interrupted) throw new OperationCanceledException("demo interrupted");
            var eval = result.LastEvaluation ?? throw new InvalidOperationException("the demo's training run did not evaluate");
            results.Add(new DemoModelResult(name, eval.VideoTop1,
                GroupAccuracy(eval, SyntheticClasses.MotionOnly),
                GroupAccuracy(eval, Enumerable.Range(0, SyntheticClasses.Names.Count).Except(SyntheticClasses.MotionOnly).ToList()),
                settings.EnergySamples > 0 ? EnergyPerClip(options, Path.Combine(runDir, "last.safetensors"), settings.EnergySamples) : null,
                result.Seconds, runDir));
        }
        return new DemoResult(results[0], results[1], watch.Elapsed.TotalSeconds, root);
    }

    public static TrainingOptions Options(DemoSettings s, ModelVariant variant) => new()
    {
        Model = new ReSpikeConfig { Variant = variant, Backbone = "resnet18", Stride = s.Stride, Frames = s.Frames, ImageSize = s.ImageSize, NumClasses = SyntheticClasses.Names.Count },
        Data = new DatasetSpec
        {
            Kind = DatasetKind.Synthetic, SyntheticSeed = s.Seed, SyntheticVideosPerClass = s.VideosPerClass,
            SyntheticFrames = s.Frames, SyntheticSize = s.ImageSize, CacheDirectory = null,
        },
        Epochs = s.Epochs,
        BatchSize = s.BatchSize,
        Optimizer = s.Optimizer,
        LearningRate = s.LearningRate,
        MinCropScale = s.MinCropScale,
        // slide_left and slide_right are mirror images: a flip would swap their labels
        HorizontalFlip = false,
        Seed = s.Seed,
        Threads = s.Threads,
    };

    /// <summary>A rerun starts afresh, but only a folder an earlier demo made is ever deleted (never, say, ~/ann).</summary>
    static void ReplaceDemoFolder(string runDir)
    {
        if (!Directory.Exists(runDir)) return;
        if (!Directory.EnumerateFileSystemEntries(runDir).Any()) return;
        var config = Path.Combine(runDir, "config.json");
        bool isDemoRun;
        try { isDemoRun = File.Exists(config) && TrainingOptions.FromJsonFile(config).Data.Kind == DatasetKind.Synthetic; }
        catch (InvalidDataException) { isDemoRun = false; }
        if (!isDemoRun)
            throw new IOException($"--out: {runDir} exists and is not an earlier demo run; choose another --out (the demo replaces only its own folders)");
        Directory.Delete(runDir, recursive: true);
    }

    /// <summary>Energy per clip of the final model (the one the accuracies are of) with firing rates measured on the synthetic test clips.</summary>
    static double EnergyPerClip(TrainingOptions options, string checkpoint, int samples)
    {
        using var net = Checkpoint.Load(checkpoint);
        return EnergyAnalysis.OnTestSet(net, options.Data, new EnergyAnalysisOptions { Samples = samples, Baseline = false, Checkpoint = checkpoint }).EnergyMj;
    }

    /// <summary>Mean per-class video accuracy over a group of classes.</summary>
    static double GroupAccuracy(EvaluationReport eval, IReadOnlyList<int> classes) =>
        classes.Select(c => eval.PerClass[c]).Where(c => c.Videos > 0).Select(c => c.Accuracy).DefaultIfEmpty(0).Average();
}
