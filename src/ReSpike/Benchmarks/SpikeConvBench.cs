using System.Diagnostics;
using ReSpike.Spiking.Layers;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks;

/// <summary>One density of <see cref="SpikeConvBench"/>: best milliseconds per call of each path and their largest relative difference.</summary>
public sealed record SpikeConvBenchResult(double Density, double DenseMs, double EventDrivenMs, double MaxRelativeDifference)
{
    public double Speedup => DenseMs / EventDrivenMs;
}

/// <summary>
/// Dense against event-driven convolution of one spiking layer (3x3, padding 1) on random binary inputs of chosen
/// densities: where the event-driven path starts to pay, which <see cref="EventDrivenCostModel"/> is fitted to.
/// </summary>
public static class SpikeConvBench
{
    /// <param name="shape">Input [N, C_in, H, W].</param>
    public static IReadOnlyList<SpikeConvBenchResult> Run(long[] shape, long outChannels, long stride, IReadOnlyList<double> densities,
                                                          int repeats = 5, int warmup = 1, long seed = 1001)
    {
        manual_seed(seed);
        using var conv = new SpikeDrivenConv2d(shape[1], outChannels, 3, stride, padding: 1);
        using var inference = inference_mode();
        var results = new List<SpikeConvBenchResult>();
        foreach (double density in densities)
        {
            using var spikes = rand(shape).lt(density).to(ScalarType.Float32);
            conv.Mode = SpikeConvolution.Dense;
            using var dense = conv.call(spikes);
            double denseMs = BestMs(() => conv.call(spikes).Dispose(), repeats, warmup);
            conv.Mode = SpikeConvolution.EventDriven;
            using var events = conv.call(spikes);
            double eventMs = BestMs(() => conv.call(spikes).Dispose(), repeats, warmup);
            using var diff = (events - dense).abs().max();
            using var scale = dense.abs().max().clamp_min(1e-12);
            results.Add(new SpikeConvBenchResult(density, Math.Round(denseMs, 3), Math.Round(eventMs, 3), (diff / scale).item<float>()));
        }
        return results;
    }

    /// <summary>The fastest of the repeats: on a shared machine slow calls are interruptions, not the kernel.</summary>
    static double BestMs(Action call, int repeats, int warmup)
    {
        for (int i = 0; i < warmup; i++) call();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }
}
