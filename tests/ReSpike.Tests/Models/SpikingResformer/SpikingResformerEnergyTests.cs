using ReSpike.Models;
using ReSpike.Models.SpikingResformer;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.SpikingResformer;

/// <summary>Dense MACs against counts made from the official model (bench/spikingresformer_ref.py macs), and SOPs against a hand count.</summary>
public class SpikingResformerEnergyTests
{
    static SpikingResformerNet Build(string variant, int image, int timesteps = 1, int classes = 1000) =>
        (SpikingResformerNet)ModelRegistry.Create(new ReSpikeConfig { Name = variant, NumClasses = classes, Stride = 1, Frames = timesteps, ImageSize = image });

    // forward hooks on the official modules, T = 1, batch 1, 1000 classes: (stem, other convs, DSSA matmuls, classifier)
    [Theory]
    [InlineData("spikingresformer-ti", 224, 118_013_952, 3_623_911_424, 285_200_384, 384_000)]
    [InlineData("spikingresformer-s", 224, 118_013_952, 5_394_923_520, 354_041_856, 512_000)]
    [InlineData("spikingresformer-m", 224, 118_013_952, 10_083_368_960, 491_724_800, 768_000)]
    [InlineData("spikingresformer-l", 224, 236_027_904, 17_417_895_936, 708_083_712, 1_024_000)]
    [InlineData("spikingresformer-dvsg", 32, 884_736, 295_829_504, 15_204_352, 192_000)]
    [InlineData("spikingresformer-cifar", 32, 1_769_472, 1_183_318_016, 30_408_704, 384_000)]
    public void Dense_macs_per_timestep_equal_the_official_models(string variant, int image, long stem, long conv, long matmul, long classifier)
    {
        using var net = Build(variant, image);
        using var input = torch.zeros(1, 3, image, image);
        var report = SpikingResformerEnergy.Measure(net, [input], 1, "zeros");
        Assert.Equal(stem, report.StemMacsPerTimestep);
        Assert.Equal(conv, report.ConvMacsPerTimestep);
        Assert.Equal(matmul, report.MatmulMacsPerTimestep);
        Assert.Equal(classifier, report.ClassifierMacsPerTimestep);
    }

    [Fact]
    public void Sops_count_each_spike_once_per_synapse_and_both_conventions_price_them()
    {
        torch.manual_seed(2);
        using var net = Build("spikingresformer-fmnist", 32, timesteps: 2, classes: 10);
        using (torch.no_grad())
        {
            foreach (var conv in net.modules().OfType<SequenceConv2d>()) nn.init.normal_(conv.Weight, 0, Math.Sqrt(2.0 / conv.Weight[0].numel()));
            foreach (var dssa in net.AttentionBlocks) { dssa.FiringRateX.fill_(0.1); dssa.FiringRateAttn.fill_(0.1); }
        }
        // the spikes into the first GWFFN's 1x1 up-projection, counted by hand: each one feeds out_channels synapses
        double handCounted = 0;
        var up = (SequenceConv2d)net.named_modules().First(m => m.name == "layers.0.1.up.1").module;
        up.register_forward_hook((_, x, y) => { handCounted += x.sum().item<float>() * up.OutChannels; return y; });
        using var image = torch.randn(3, 3, 32, 32);
        var report = SpikingResformerEnergy.Measure(net, [image], 3, "noise");
        Assert.Equal(3, report.Samples);
        Assert.True(handCounted > 0, "the network should spike on this input");
        Assert.True(report.Sops > handCounted / 3, "the total includes the hand-counted layer");
        Assert.InRange(report.MeanFiringRate, 0.001, 0.999);
        Assert.Equal(report.Sops * 0.9e-9, report.PaperEnergyMj, 12);
        Assert.Equal((report.RealValuedMacs * 4.6 + report.Sops * 0.9) * 1e-9, report.ReSpikeEnergyMj, 12);
        // stem and classifier are the real-valued MACs, over T = 2 timesteps
        Assert.Equal(2 * (report.StemMacsPerTimestep + report.ClassifierMacsPerTimestep), report.RealValuedMacs, 6);
    }
}
