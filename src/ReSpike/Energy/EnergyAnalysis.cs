using ReSpike.Models;
using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>The whole energy measurement of one network, as `respike energy` runs it (and eval can reuse).</summary>
public static class EnergyAnalysis
{
    /// <summary>Measured on a dataset's test clips (centre crop, order shuffled by the seed), as the paper does over 100 test samples.</summary>
    public static EnergyReport OnTestClips(ReSpikeNet net, Data.Loading.IndexedDataset test, EnergyAnalysisOptions options) =>
        Run(net, Data.Loading.ClipSamples.Test(test, net.Config.Frames, net.Config.ImageSize, (int)options.Seed),
            options with { InputDescription = options.InputDescription ?? $"test clips of {test.Dataset.Name} (centre crop)" });

    /// <summary>
    /// Counts <paramref name="net"/> per clip on <paramref name="clips"/> ([B, T, 3, H, W], normalised like the
    /// training data) or, when null, on deterministic random clips, which the report says. Firing rates are
    /// measured over <see cref="EnergyAnalysisOptions.Samples"/> samples unless a rate is assumed.
    /// </summary>
    public static EnergyReport Run(ReSpikeNet net, IEnumerable<Tensor>? clips, EnergyAnalysisOptions options)
    {
        var config = net.Config;
        bool spiking = config.Variant.UsesSnn();
        // op counts of real-valued layers do not depend on the data: without spikes (or with an assumed rate) one clip is enough
        int samples = !spiking || options.AssumedFiringRate is not null ? 1 : options.Samples;
        string input;
        if (clips is null)
        {
            clips = EnergyProfiler.RandomClips(config, samples, options.Seed);
            input = !spiking ? "1 random clip (op counts do not depend on the data)"
                : options.AssumedFiringRate is { } assumed ? $"1 random clip for the op counts; firing rate assumed {assumed:0.####}"
                : $"{samples} deterministic random clip(s) (standard normal, seed {options.Seed}): firing rates of noise through " +
                  (options.Checkpoint is null ? "untrained weights" : "the checkpoint") + ", not of video; pass --firing-rate for an assumed rate";
        }
        else
        {
            input = options.InputDescription ?? $"up to {samples} given clips";
        }

        var profile = EnergyProfiler.Measure(net, clips, samples);
        if (options.AssumedFiringRate is { } rate) profile = profile.WithAssumedFiringRate(rate);

        ComplexityProfile? baseline = null;
        if (options.Baseline)
        {
            var baselineConfig = EnergyProfiler.AnnBaseline(config);
            baseline = baselineConfig == config ? profile : EnergyProfiler.MeasureUntrained(baselineConfig, seed: options.Seed);
        }
        return EnergyReport.Create(config, profile, options.Energy, input, baseline, options.Checkpoint);
    }
}
