using System.Diagnostics;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks.Profiling;

/// <summary>
/// What this machine can do with the same libtorch on the same threads: a dense float32 matmul
/// (2048 x 2048 x 2048) and a 3x3 convolution (8 x 64 x 56 x 56, 64 -> 64, padding 1), best of a few runs,
/// in GMAC/s. Every profiled figure can then be read as a fraction of it.
/// </summary>
public sealed record MachineLimit(double MatmulGmacPerS, double Conv3x3GmacPerS, int Threads)
{
    /// <summary>Measures both kernels (about a second).</summary>
    public static MachineLimit Measure(int repeats = 5)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var a = randn(2048, 2048);
        var b = randn(2048, 2048);
        double matmul = Best(() => a.matmul(b).Dispose(), 2048.0 * 2048 * 2048, repeats);
        var x = randn(8, 64, 56, 56);
        var w = randn(64, 64, 3, 3);
        double conv = Best(() => nn.functional.conv2d(x, w, padding: [1, 1]).Dispose(), 8.0 * 64 * 56 * 56 * 64 * 9, repeats * 2);
        return new MachineLimit(Math.Round(matmul, 1), Math.Round(conv, 1), get_num_threads());
    }

    static double Best(Action run, double macs, int repeats)
    {
        run();   // warm-up: first calls pick algorithms and allocate
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return macs / best / 1e9;
    }
}
