using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Models.Backbones;
using ReSpike.Models.Fusion;
using ReSpike.Models.SpikingResformer;
using ReSpike.Tests.IO;
using ReSpike.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.SpikingResformer;

/// <summary>ReSpike with a SpikingResformer spiking branch (respike-srf-*): structure, fusion wiring, training, checkpoints, energy.</summary>
public class ReSpikeSrfNetTests
{
    static ReSpikeConfig Config(int image = 32, int classes = 6) =>
        new() { Name = "respike-srf-ti", Backbone = "resnet18", Stride = 2, Frames = 4, ImageSize = image, NumClasses = classes };

    [Fact]
    public void Its_parameters_are_the_resnet_the_spikingresformer_trunk_three_fusions_and_the_head()
    {
        torch.manual_seed(1);
        using var net = Assert.IsType<ReSpikeSrfNet>(ModelRegistry.Create(Config()));
        var names = net.named_parameters().Select(p => p.name).ToHashSet();
        // the spiking branch keeps the official SpikingResformer names under snn.
        Assert.Contains("snn.prologue.0.weight", names);
        Assert.Contains("snn.layers.2.0.conv.weight", names);   // stage 3's downsampling conv
        Assert.Contains("snn.layers.0.0.W.weight", names);       // stage 1's DSSA
        Assert.Contains("fusions.2.cross_attn.to_k.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("fusions.3.", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("snn.classifier", StringComparison.Ordinal));

        using var resnet = ResNet.Create("resnet18");
        using var trunk = new SpikingResformerBranch(SpikingResformerVariants.Specs["spikingresformer-ti"], 32);
        long fusions = new[] { (64L, 64L), (192L, 128L), (384L, 256L) }.Sum(p => { using var f = new SpatialTransformer(p.Item1, p.Item2); return f.parameters().Sum(t => t.numel()); });
        long head = (512 + 384) * 6 + 6;
        Assert.Equal(resnet.parameters().Sum(p => p.numel()) + trunk.parameters().Sum(p => p.numel()) + fusions + head, net.ParameterCount);
        Assert.Equal([4, 2, 1], Enumerable.Range(0, 3).Select(net.PoolFactor));
        Assert.Equal([4, 8, 16], net.Snn.OutputStrides);
    }

    [Fact]
    public void At_initialisation_the_fusions_are_the_identity_so_the_head_sees_both_branches_unmixed()
    {
        torch.manual_seed(3);
        using var net = (ReSpikeSrfNet)ModelRegistry.Create(Config());
        net.eval();
        using var _ = torch.no_grad();
        // eval mode scales DSSA by its stored firing rates, which only training sets
        foreach (var dssa in net.modules().OfType<Dssa>()) { dssa.FiringRateX.fill_(0.2); dssa.FiringRateAttn.fill_(0.2); }
        using var clip = torch.randn([2, 4, 3, 32, 32]);
        using var logits = net.SegmentLogits(clip);
        Assert.Equal([2, 2, 6], logits.shape);

        // by hand: key frames through the ResNet, residuals through the SpikingResformer alone, ReSpike's head
        using var groups = clip.view(2, 2, 2, 3, 32, 32);
        using var keys = groups.select(2, 0).reshape(4, 3, 32, 32);
        using var residuals = (groups.select(2, 1) - groups.select(2, 0)).reshape(1, 4, 3, 32, 32);
        var annStages = net.Ann.Stages(keys);
        using var annFeatures = annStages[3].mean([-2, -1]);
        using var snnOut = net.Snn.forward(residuals);
        using var snnFeatures = snnOut.mean([-2, -1]).mean([0]);
        var fc = (TorchSharp.Modules.Linear)net.named_modules().First(m => m.name == "fc").module;
        using var expected = fc.call(torch.cat([annFeatures, snnFeatures], 1)).view(2, 2, 6);
        foreach (var t in annStages) t.Dispose();
        Assert.True(expected.allclose(logits, rtol: 1e-4, atol: 1e-5), $"max difference {(expected - logits).abs().max().item<float>()}");

        // a non-zero fusion output changes the logits: the fusions are wired in
        net.named_parameters().First(p => p.name == "fusions.1.proj_out.weight").parameter.normal_(0, 0.5);
        using var mixed = net.SegmentLogits(clip);
        Assert.False(mixed.allclose(logits, rtol: 1e-4, atol: 1e-5), "fusion 2 takes no part in the forward");
    }

    [Fact]
    public void It_needs_residual_frames()
    {
        var e = Assert.Throws<ArgumentException>(() => (Config() with { Stride = 1 }).Validate());
        Assert.Contains("--stride", e.Message);
        Assert.Contains("respike-srf-ti", e.Message);
    }

    [Fact]
    public void It_trains_checkpoints_evaluates_and_is_costed_on_generated_clips()
    {
        using var dir = new TempDirectory();
        var options = Training.TinyRuns.Options(epochs: 3) with { Model = Config(), LearningRate = 1e-3 };
        var result = new Trainer(options, dir.Path).Run();
        Assert.Equal(3, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss,
            $"loss did not go down: {string.Join(" -> ", result.Epochs.Select(e => e.TrainLoss.ToString("0.000")))}");

        Assert.Equal("respike-srf-ti", Checkpoint.ReadConfig(result.Files.Last).Name);
        using var loaded = Assert.IsType<ReSpikeSrfNet>(Checkpoint.Load(result.Files.Last));
        var (dataset, reader) = options.Data.Open(DatasetSubset.Test);
        var report = Evaluator.Run(loaded, IndexedDataset.Build(dataset, reader), batchSize: 4);
        Assert.Equal(dataset.Count, report.Videos);
        Assert.Equal(result.LastEvaluation!.ClipTop1, report.ClipTop1, 12);

        // energy: the SpikingResformer's convs and DSSA products are spike-driven ACs, the fusions MACs
        var energy = EnergyAnalysis.Run(loaded, null, new EnergyAnalysisOptions { Baseline = false });
        Assert.Equal("respike-srf-ti", energy.Model);
        Assert.True(energy.SnnGacs > 0, $"SNN GACs {energy.SnnGacs}");
        Assert.True(energy.FusionGmacs > 0 && energy.AnnGmacs > 0, $"fusion {energy.FusionGmacs}, ANN {energy.AnnGmacs} GMACs");
        var matmul = Assert.Single(energy.Layers, l => l.Name == "snn.layers.0.0.matmul1");
        Assert.Equal(OpKind.AttentionMatmul.Name(), matmul.Kind);
        Assert.True(matmul.SpikeGops > 0, "DSSA's first product counts as spike-driven");
        Assert.Contains(energy.Layers, l => l.Name == "snn.layers.0.1.up.1" && l.Kind == OpKind.Conv.Name() && l.SpikeGops > 0);
        Assert.Contains(energy.FiringRates, r => r.Name.StartsWith("snn.layers.", StringComparison.Ordinal));
    }
}
