using System.Diagnostics;
using ReSpike.Diagnostics;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Runtime;
using ReSpike.Spiking;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks;

/// <summary>
/// Clips per second and peak memory of the whole network, measured the way the reference's
/// `respike_ref.py bench` does: one model, one random clip batch reused every step, a warm-up, then timed
/// steps. Inference runs in eval mode under inference_mode; training runs the trainer's own step
/// (<see cref="TrainingStep"/>: cross-entropy against random labels, then our <see cref="Sgd"/> with lr 1e-4,
/// momentum 0.9, weight decay 1e-4), so the bench times the optimizer that training runs.
/// </summary>
public static class ThroughputBench
{
    /// <summary>The training step's learning rate, momentum and weight decay (the reference bench's).</summary>
    public const double LearningRate = 1e-4, Momentum = 0.9, WeightDecay = 1e-4;

    /// <summary>Runs the benchmark; <paramref name="onStep"/> sees (step index, seconds, warm-up?) as steps finish.</summary>
    public static ThroughputBenchReport Run(ThroughputBenchSettings settings, Action<int, double, bool>? onStep = null) =>
        Run(settings, onStep, afterRun: null);

    /// <param name="afterRun">Test seam: sees the network and the optimizer (null when inferring) after the last step, before they are disposed.</param>
    internal static ThroughputBenchReport Run(ThroughputBenchSettings settings, Action<int, double, bool>? onStep,
                                              Action<VideoModel, IOptimizer?>? afterRun)
    {
        settings.Validate();
        torch.manual_seed(settings.Seed);
        using var net = BuildModel(settings);
        var config = net.Config;
        using var clip = BenchClips(settings, config);
        using var labels = torch.randint(0, config.NumClasses, [settings.Batch], dtype: ScalarType.Int64);
        double? firingRate = FiringRate(net, clip);
        using var optimizer = settings.Train ? new Sgd(net, Momentum, WeightDecay) : null;
        if (settings.Train) net.train(); else net.eval();
        var freeMemory = new FreeMemoryRelease();   // as the trainer's FreeMemoryHook does

        void Step()
        {
            if (optimizer is null)
            {
                using var inference = torch.inference_mode();
                using var scope = torch.NewDisposeScope();
                net.call(clip);
            }
            else
            {
                // the trainer's step; a non-finite loss leaves the weights alone there, and the bench only times it
                TrainingStep.Run(net, optimizer, clip, labels, LearningRate);
                Functional.ResetNet(net);   // drops the last membrane states and the graph they reference
                freeMemory.AfterStep();
            }
        }

        for (int i = 0; i < settings.Warmup; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Step();
            onStep?.Invoke(i, Stopwatch.GetElapsedTime(start).TotalSeconds, true);
        }
        var seconds = new double[settings.Steps];
        for (int i = 0; i < settings.Steps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Step();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            onStep?.Invoke(i, seconds[i], false);
        }
        afterRun?.Invoke(net, optimizer);
        double perStep = seconds.Average();
        return new ThroughputBenchReport(
            Impl: $"respike.net-torchsharp-{torch.__version__}",
            Mode: settings.Train ? "train" : "infer",
            Model: config.Name,
            Backbone: config.Backbone,
            Image: config.ImageSize,
            Frames: config.Frames,
            Stride: config.Stride,
            Batch: settings.Batch,
            Threads: torch.get_num_threads(),
            Steps: settings.Steps,
            Warmup: settings.Warmup,
            SPerStep: Math.Round(perStep, 4),
            ClipsPerS: Math.Round(settings.Batch / perStep, 3),
            PeakRssMb: ProcessMemory.PeakResidentMb() is { } mb ? Math.Round(mb, 1) : null,
            StepSeconds: [.. seconds.Select(s => Math.Round(s, 4))],
            Weights: settings.Checkpoint ?? $"random (seed {settings.Seed})",
            Input: settings.Clips is null ? "standard-normal noise" : settings.ClipsDescription ?? "given clips",
            FiringRate: firingRate is { } r ? Math.Round(r, 4) : null,
            LifKernel: settings.LifKernel.ToString().ToLowerInvariant(),
            SpikeConvolution: settings.SpikeConvolution.ToString().ToLowerInvariant(),
            Allocator: NativeAllocator.Description,
            Layout: LayoutName(net, settings.Train),
            RecomputeSpikeLayers: settings.Train && settings.RecomputeSpikeLayers);
    }

    /// <summary>The model the settings describe: the checkpoint's, or a fresh one from the seed; kernels as chosen.</summary>
    internal static VideoModel BuildModel(ThroughputBenchSettings settings)
    {
        var net = settings.Checkpoint is { } path ? Checkpoint.Load(path) : ModelRegistry.Create(settings.Model);
        Functional.SetLifKernel(net, settings.LifKernel);
        Functional.SetSpikeConvolution(net, settings.SpikeConvolution);
        if (net is ReSpikeNet hybrid) hybrid.ChannelsLastInference = settings.ChannelsLast;
        Functional.SetRecomputeSpikeLayers(net, settings.RecomputeSpikeLayers);
        return net;
    }

    /// <summary>The feature-map layout the timed steps ran on.</summary>
    static string LayoutName(VideoModel net, bool training) =>
        !training && net is ReSpikeNet { ChannelsLastInference: true } ? "channels-last" : "contiguous";

    /// <summary>The clip batch every step reuses: the given real clips (a handle of them) or seeded noise.</summary>
    internal static Tensor BenchClips(ThroughputBenchSettings settings, ReSpikeConfig config) =>
        settings.Clips?.alias() ?? torch.randn([settings.Batch, config.Frames, 3, config.ImageSize, config.ImageSize]);

    /// <summary>Spikes per neuron and timestep of one eval forward of the bench clips (null for a model without spiking neurons).</summary>
    static double? FiringRate(VideoModel net, Tensor clip)
    {
        bool training = net.training;
        net.eval();
        try
        {
            using var monitor = new FiringRateMonitor(net);
            if (monitor.WatchedLayers == 0) return null;
            using (torch.inference_mode())
            using (torch.NewDisposeScope()) net.call(clip);
            return monitor.Snapshot().Overall;
        }
        finally { net.train(training); }
    }
}
