using System.Diagnostics;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks;

/// <summary>
/// Micro-benchmark of one multi-step ReSpike LIF neuron: the fused kernel against the op-by-op tensor loop, forward
/// alone (in training mode, building the graph) and forward + backward (backward from a fixed random gradient of the
/// spikes, so nothing but the neuron is timed). Median of the repeats after warm-up.
/// </summary>
public static class LifBench
{
    public static LifBenchResult Run(int timesteps, long[] shape, int repeats, int warmup, int seed = 1001)
    {
        if (timesteps < 1) throw new ArgumentException($"timesteps must be >= 1, got {timesteps}");
        if (repeats < 1) throw new ArgumentException($"repeats must be >= 1, got {repeats}");
        if (shape.Length == 0 || shape.Any(d => d < 1)) throw new ArgumentException($"shape must be positive sizes, got [{string.Join(", ", shape)}]");
        torch.manual_seed(seed);
        long[] full = [timesteps, .. shape];
        using var x = (torch.rand(full) * 3.0f).sub_(0.5f);   // drive in [-0.5, 2.5): a realistic mix of firing and silence
        using var gradSpikes = torch.randn(full);

        double Median(LifKernel kernel, bool backward)
        {
            using var neuron = LIFNode.ReSpike(StepMode.Multi);
            neuron.Kernel = kernel;
            var times = new List<double>();
            for (int i = 0; i < warmup + repeats; i++)
            {
                using var scope = torch.NewDisposeScope();
                var input = x.detach().requires_grad_(true);
                var start = Stopwatch.GetTimestamp();
                var spikes = neuron.forward(input);
                if (backward) spikes.backward([gradSpikes]);
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                neuron.ResetState();
                if (i >= warmup) times.Add(ms);
            }
            times.Sort();
            return times[times.Count / 2];
        }

        return new LifBenchResult(
            Timesteps: timesteps,
            Shape: shape,
            Threads: torch.get_num_threads(),
            Repeats: repeats,
            OpByOpForwardMs: Math.Round(Median(LifKernel.OpByOp, backward: false), 2),
            OpByOpForwardBackwardMs: Math.Round(Median(LifKernel.OpByOp, backward: true), 2),
            FusedForwardMs: Math.Round(Median(LifKernel.Fused, backward: false), 2),
            FusedForwardBackwardMs: Math.Round(Median(LifKernel.Fused, backward: true), 2));
    }
}
