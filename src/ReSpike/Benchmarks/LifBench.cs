using System.Diagnostics;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;
using ReSpike.IO;

namespace ReSpike.Benchmarks;

/// <summary>
/// Micro-benchmark of one multi-step ReSpike LIF neuron: the fused kernel against the op-by-op tensor loop, forward
/// alone (in training mode, building the graph) and forward + backward (torch.autograd.grad from a fixed random
/// gradient of the spikes to the input, so nothing but the neuron is timed: no loss, no accumulation into .grad).
/// The four variants alternate within every repeat, so background load affects them alike.
/// </summary>
public static class LifBench
{
    public static LifBenchResult Run(int timesteps, long[] shape, int repeats, int warmup, int seed = 1001)
    {
        if (timesteps < 1) throw new ArgumentException($"timesteps must be >= 1, got {timesteps}");
        if (repeats < 1) throw new ArgumentException($"repeats must be >= 1, got {repeats}");
        if (shape.Length == 0 || shape.Any(d => d < 1)) throw new ArgumentException($"shape must be positive sizes, got {ShapeText.Format(shape)}");
        torch.manual_seed(seed);
        long[] full = [timesteps, .. shape];
        using var x = (torch.rand(full) * 3.0f).sub_(0.5f);   // drive in [-0.5, 2.5): a realistic mix of firing and silence
        using var gradSpikes = torch.randn(full);
        using var opByOp = LIFNode.ReSpike(StepMode.Multi);
        opByOp.Kernel = LifKernel.OpByOp;
        using var fused = LIFNode.ReSpike(StepMode.Multi);
        fused.Kernel = LifKernel.Fused;

        double Time(LIFNode neuron, bool backward)
        {
            using var scope = torch.NewDisposeScope();
            var input = x.detach().requires_grad_(true);
            var start = Stopwatch.GetTimestamp();
            var spikes = neuron.forward(input);
            if (backward) torch.autograd.grad([spikes], [input], [gradSpikes]);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            neuron.ResetState();
            return ms;
        }

        var opForward = new List<double>();
        var fusedForward = new List<double>();
        var opBoth = new List<double>();
        var fusedBoth = new List<double>();
        for (int i = 0; i < warmup + repeats; i++)
        {
            double a = Time(opByOp, false), b = Time(fused, false), c = Time(opByOp, true), d = Time(fused, true);
            if (i < warmup) continue;
            opForward.Add(a); fusedForward.Add(b); opBoth.Add(c); fusedBoth.Add(d);
        }
        static double Median(List<double> values) { var sorted = values.Order().ToList(); return Math.Round(sorted[sorted.Count / 2], 2); }
        return new LifBenchResult(
            Timesteps: timesteps,
            Shape: shape,
            Threads: torch.get_num_threads(),
            Repeats: repeats,
            OpByOpForwardMs: Median(opForward),
            FusedForwardMs: Median(fusedForward),
            OpByOpForwardBackwardMs: Median(opBoth),
            FusedForwardBackwardMs: Median(fusedBoth),
            OpByOpForwardBackwardBestMs: Math.Round(opBoth.Min(), 2),
            FusedForwardBackwardBestMs: Math.Round(fusedBoth.Min(), 2));
    }
}
