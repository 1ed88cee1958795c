using System.Diagnostics;
using ReSpike.Diagnostics;
using ReSpike.Models;
using ReSpike.Runtime;
using ReSpike.Spiking;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks;

/// <summary>
/// Clips per second and peak memory of the whole network, measured the way the reference's
/// `respike_ref.py bench` does: one model, one random clip batch reused every step, a warm-up, then timed
/// steps. Inference runs in eval mode under inference_mode; training runs SGD (lr 1e-4, momentum 0.9,
/// weight decay 1e-4) on cross-entropy against random labels.
/// </summary>
public static class ThroughputBench
{
    /// <summary>Runs the benchmark; <paramref name="onStep"/> sees (step index, seconds, warm-up?) as steps finish.</summary>
    public static ThroughputBenchReport Run(ThroughputBenchSettings settings, Action<int, double, bool>? onStep = null)
    {
        settings.Validate();
        var config = settings.Model;
        torch.manual_seed(settings.Seed);
        using var net = ModelRegistry.Create(config);
        Functional.SetLifKernel(net, settings.LifKernel);
        using var clip = torch.randn([settings.Batch, config.Frames, 3, config.ImageSize, config.ImageSize]);
        using var labels = torch.randint(0, config.NumClasses, [settings.Batch], dtype: ScalarType.Int64);
        using var optimizer = settings.Train
            ? torch.optim.SGD(net.parameters(), 1e-4, momentum: 0.9, weight_decay: 1e-4)
            : null;
        if (settings.Train) net.train(); else net.eval();

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
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(net.call(clip), labels);
                loss.backward();
                optimizer.step();
                Functional.ResetNet(net);   // drops the last membrane states and the graph they reference
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
            LifKernel: settings.LifKernel.ToString().ToLowerInvariant(),
            Allocator: NativeAllocator.Description);
    }
}
