using ReSpike.Models;
using ReSpike.Spiking;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>Runs a network over input clips with an <see cref="OpCounter"/> and a <see cref="FiringRateMonitor"/> attached.</summary>
public static class EnergyProfiler
{
    /// <summary>Samples averaged for firing rates, as in the paper (Appendix A: 100 random test samples).</summary>
    public const int DefaultSamples = 100;

    /// <summary>
    /// Counts per-sample operations and firing rates over the first <paramref name="maxSamples"/> samples of
    /// <paramref name="clips"/> (each [B, ...], e.g. [B, T, 3, H, W]; a batch larger than what is left is cut).
    /// Evaluation mode under no_grad; the training flag is restored afterwards. Tensors created while the
    /// enumeration advances (on this thread) are disposed after their pass; tensors the caller already held are not.
    /// </summary>
    public static ComplexityProfile Measure(nn.Module<Tensor, Tensor> net, IEnumerable<Tensor> clips,
                                            int maxSamples = DefaultSamples, Func<string, Branch>? branchOf = null)
    {
        if (maxSamples < 1) throw new ArgumentOutOfRangeException(nameof(maxSamples), maxSamples, "--samples: need at least one sample");
        bool wasTraining = net.training;
        net.eval();
        using var counter = new OpCounter(net, branchOf);
        using var monitor = new FiringRateMonitor(net);
        int samples = 0;
        try
        {
            using var noGrad = torch.no_grad();
            using var clip = clips.GetEnumerator();
            while (samples < maxSamples)
            {
                using var scope = torch.NewDisposeScope();
                if (!clip.MoveNext()) break;
                var batch = clip.Current;
                long take = Math.Min(batch.shape[0], maxSamples - samples);
                using var input = take < batch.shape[0] ? batch.narrow(0, 0, take) : batch.alias();
                Functional.ResetNet(net);
                using var output = net.call(input);
                samples += (int)take;
            }
        }
        finally
        {
            Functional.ResetNet(net);
            net.train(wasTraining);
        }
        if (samples == 0) throw new ArgumentException("no input clips to measure on");
        var perSample = counter.Layers.Select(l => l.Scaled(1.0 / samples)).ToList();
        return new ComplexityProfile(perSample, monitor.Snapshot(), samples);
    }

    /// <summary>
    /// <paramref name="count"/> deterministic standard-normal clips [batch, T, 3, H, W] for a config: stands in
    /// for data when only the op counts matter or when no data set is at hand (firing rates on noise are not
    /// those of real video).
    /// </summary>
    public static IEnumerable<Tensor> RandomClips(ReSpikeConfig config, int count, long seed = 0, int batch = 1)
    {
        var generator = new Generator((ulong)seed);
        try
        {
            for (int i = 0; i < count; i++)
                yield return torch.randn([batch, config.Frames, 3, config.ImageSize, config.ImageSize], generator: generator);
        }
        finally { generator.Dispose(); }
    }

    /// <summary>The ANN baseline of a config: the 2D ResNet alone on all T frames (key-frame stride 1).</summary>
    public static ReSpikeConfig AnnBaseline(ReSpikeConfig config) => config with { Name = ModelVariant.Ann.Name(), Stride = 1 };

    /// <summary>
    /// Counts a freshly built network for <paramref name="config"/> (weights drawn with torch.manual_seed(seed);
    /// the global generator's state is restored afterwards) on deterministic random input. Op counts of
    /// non-spiking layers do not depend on the data; spike-driven layers get the rate measured on that noise, or
    /// <paramref name="assumedFiringRate"/> when given.
    /// </summary>
    public static ComplexityProfile MeasureUntrained(ReSpikeConfig config, int samples = 1, double? assumedFiringRate = null, long seed = 0)
    {
        using var rngState = torch.get_rng_state();
        try
        {
            torch.manual_seed(seed);
            using var net = ModelRegistry.Create(config);
            var profile = Measure(net, RandomClips(config, samples, seed), samples);
            return assumedFiringRate is { } rate ? profile.WithAssumedFiringRate(rate) : profile;
        }
        finally { torch.set_rng_state(rngState); }
    }
}
