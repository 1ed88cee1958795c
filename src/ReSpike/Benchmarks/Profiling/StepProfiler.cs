using System.Diagnostics;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Spiking;
using ReSpike.Spiking.Monitors;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks.Profiling;

/// <summary>
/// Profiles one inference and one training step of <see cref="ThroughputBench"/>'s setup (same model, clip,
/// labels, SGD step): per-component forward and backward time from <see cref="ModuleTimeline"/>, dense MACs per
/// component from an <see cref="OpCounter"/> pass, the same steps timed again without hooks, and the
/// <see cref="MachineLimit"/>. Steps are averaged after the warm-up.
/// </summary>
public static class StepProfiler
{
    /// <summary>How many of the most expensive modules a profile lists.</summary>
    public const int TopLayers = 15;

    public static ProfileReport Run(ThroughputBenchSettings settings)
    {
        settings.Validate();
        var limit = MachineLimit.Measure();
        var (inference, c) = Profile(settings with { Train = false });
        var (training, _) = Profile(settings with { Train = true });
        return new ProfileReport(c.Name, c.Backbone, c.ImageSize, c.Frames, c.Stride, settings.Batch, get_num_threads(), limit, inference, training);
    }

    static (StepProfile Profile, ReSpikeConfig Config) Profile(ThroughputBenchSettings settings)
    {
        manual_seed(settings.Seed);
        using var net = ThroughputBench.BuildModel(settings);
        var config = net.Config;
        using var clip = ThroughputBench.BenchClips(settings, config);
        using var labels = randint(0, config.NumClasses, [settings.Batch], dtype: ScalarType.Int64);
        using var optimizer = settings.Train ? new Sgd(net, ThroughputBench.Momentum, ThroughputBench.WeightDecay) : null;
        if (settings.Train) net.train(); else net.eval();

        var componentOf = ModuleTree.Named(net).ToDictionary(m => m.Name, m => ProfileComponents.Of(m.Name, m.Module));
        var gmacs = DenseGmacsPerComponent(net, clip, componentOf);

        long backwardEnd = 0;
        void Step(ModuleTimeline? timeline)
        {
            if (timeline is not null) timeline.Phase = ModuleTimeline.StepPhase.Forward;
            if (optimizer is null)
            {
                using var inference = inference_mode();
                using var scope = NewDisposeScope();
                net.call(clip);
                return;
            }
            TrainingStep.Run(net, optimizer, clip, labels, ThroughputBench.LearningRate,
                beforeUpdate: () => backwardEnd = Stopwatch.GetTimestamp(),
                inspectLogits: _ =>
                {
                    if (timeline is not null) timeline.Phase = ModuleTimeline.StepPhase.Backward;
                });
            Functional.ResetNet(net);
        }

        for (int i = 0; i < settings.Warmup; i++) Step(null);
        double unprofiled = Time(() => Step(null), settings.Steps);

        using var timeline = new ModuleTimeline(net, markBackward: settings.Train);
        double optimizerSeconds = 0;
        double profiled = Time(() =>
        {
            Step(timeline);
            if (optimizer is not null) optimizerSeconds += Stopwatch.GetElapsedTime(backwardEnd).TotalSeconds;
        }, settings.Steps);
        var (forwardByPath, backwardByPath) = timeline.SelfSeconds();
        int n = settings.Steps;
        Dictionary<string, double> ByComponent(Dictionary<string, double> byPath) => byPath
            .Where(p => componentOf.ContainsKey(p.Key))
            .GroupBy(p => componentOf[p.Key])
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        var forward = ByComponent(forwardByPath);
        var backward = ByComponent(backwardByPath);
        var layers = forwardByPath.Keys.Union(backwardByPath.Keys).Where(componentOf.ContainsKey)
            .Select(path => new LayerTime(path, componentOf[path], Round(forwardByPath.GetValueOrDefault(path) / n), Round(backwardByPath.GetValueOrDefault(path) / n)))
            .OrderByDescending(l => l.ForwardSeconds + l.BackwardSeconds)
            .Take(TopLayers)
            .ToList();
        var components = ProfileComponents.Order
            .Where(name => forward.ContainsKey(name) || backward.ContainsKey(name))
            .Select(name => new ComponentTime(name, Round(forward.GetValueOrDefault(name) / n), Round(backward.GetValueOrDefault(name) / n),
                                              Math.Round(gmacs.GetValueOrDefault(name), 3)))
            .ToList();
        double attributed = components.Sum(c => c.TotalSeconds) + optimizerSeconds / n;
        return (new StepProfile(settings.Train ? "train" : "infer", Round(profiled), Round(unprofiled), Round(optimizerSeconds / n),
                                Round(Math.Max(0, profiled - attributed)), Math.Round(gmacs.Values.Sum(), 3), components, layers), config);
    }

    /// <summary>Dense multiply-adds of one forward, by component (an un-timed eval-mode pass).</summary>
    static Dictionary<string, double> DenseGmacsPerComponent(VideoModel net, Tensor clip, Dictionary<string, string> componentOf)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var counter = new OpCounter(net);
            using (inference_mode())
            using (NewDisposeScope()) net.call(clip);
            return counter.Layers
                .GroupBy(l => componentOf.GetValueOrDefault(l.Name, ProfileComponents.Other))
                .ToDictionary(g => g.Key, g => g.Sum(l => l.Ops - l.Adds) / 1e9);
        }
        finally { net.train(wasTraining); }
    }

    /// <summary>Mean seconds per call of <paramref name="step"/> over <paramref name="steps"/> calls.</summary>
    static double Time(Action step, int steps)
    {
        var start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++) step();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    static double Round(double seconds) => Math.Round(seconds, 4);
}
