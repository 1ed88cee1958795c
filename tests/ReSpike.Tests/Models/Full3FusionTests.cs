using System.Text.Json;
using ReSpike.Energy;
using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

/// <summary>
/// --fusion full3, the reference without --downsample: fusions after stages 2-4 only, at full resolution on the
/// raw ANN tokens; fusion 1's parameters exist (same state dict and size) but are unused.
/// </summary>
public class Full3FusionTests
{
    static ReSpikeConfig Tiny(FusionMode fusion, int image = 64) => new()
    {
        Backbone = "resnet18", NumClasses = 3, Stride = 2, Frames = 4, ImageSize = image, Fusion = fusion,
    };

    static Tensor Clip(long batch, long frames, long image, int seed)
    {
        torch.manual_seed(seed);
        return torch.randn(new[] { batch, frames, 3, image, image });
    }

    static TorchSharp.Modules.Parameter Param(ReSpikeNet net, string name) => net.named_parameters().Single(p => p.name == name).parameter;

    /// <summary>Every fusion block's zero-initialised output projection made non-zero, so each fusion changes its input.</summary>
    static void ActivateFusions(ReSpikeNet net, int seed)
    {
        torch.manual_seed(seed);
        using var _ = torch.no_grad();
        foreach (var (name, p) in net.named_parameters().Where(p => p.name.Contains(".proj_out.")))
            p.copy_(torch.randn_like(p) * 0.05);
    }

    [Theory]
    [InlineData("resnet18", 30_081_523)] // respike_ref.py params --backbone resnet18 --classes 51
    [InlineData("resnet50", 44_580_339)] // respike_ref.py params --backbone resnet50 --classes 51
    public void Full3_has_the_parameters_and_state_dict_of_the_other_modes_and_of_the_reference(string backbone, long expected)
    {
        var sizes = new List<long>();
        var names = new List<string[]>();
        foreach (var mode in new[] { FusionMode.Full3, FusionMode.Pooled, FusionMode.Full })
        {
            using var net = new ReSpikeNet(new ReSpikeConfig { Backbone = backbone, NumClasses = 51, Fusion = mode });
            sizes.Add(net.parameters().Sum(p => p.numel()));
            names.Add(net.state_dict().Keys.ToArray());
        }
        Assert.Equal([expected, expected, expected], sizes);
        Assert.Equal(names[1], names[0]);
        Assert.Contains("fusions.0.proj_out.weight", names[0]);
    }

    [Fact]
    public void Full3_runs_fusions_2_to_4_only()
    {
        using var net = new ReSpikeNet(Tiny(FusionMode.Full3));
        Assert.Equal([false, true, true, true], Enumerable.Range(0, 4).Select(net.Fuses));
        Assert.Equal([1, 1, 1, 1], Enumerable.Range(0, 4).Select(net.PoolFactor));
        using var pooled = new ReSpikeNet(Tiny(FusionMode.Pooled));
        Assert.Equal([true, true, true, true], Enumerable.Range(0, 4).Select(pooled.Fuses));
    }

    [Fact]
    public void Full3_gives_fusion1_no_gradient_and_fusions_2_to_4_a_gradient()
    {
        torch.manual_seed(3);
        using var net = new ReSpikeNet(Tiny(FusionMode.Full3));
        ActivateFusions(net, 4);
        net.train();
        using var clip = Clip(2, 4, 64, seed: 5);
        using var labels = torch.tensor(new long[] { 0, 2 });
        using var logits = net.call(clip);
        using var loss = nn.functional.cross_entropy(logits, labels);
        loss.backward();
        var fusion1 = net.named_parameters().Where(p => p.name.StartsWith("fusions.0.")).ToList();
        Assert.Equal(26, fusion1.Count); // norm, proj_in, ln1-3, self_attn (q, k, v, out + bias), cross_attn, ff_in, ff_out, proj_out
        foreach (var (name, p) in fusion1)
            Assert.True(p.grad is null || p.grad.count_nonzero().item<long>() == 0, $"{name} got a gradient");
        for (int i = 1; i < 4; i++)
            foreach (var leaf in new[] { "proj_out.weight", "proj_in.weight", "cross_attn.to_k.weight", "ff_in.weight" })
            {
                var grad = Param(net, $"fusions.{i}.{leaf}").grad;
                Assert.True(grad is not null && grad.count_nonzero().item<long>() > 0, $"fusions.{i}.{leaf} got no gradient");
            }
    }

    [Fact]
    public void Full3_equals_full_with_fusion1_made_the_identity()
    {
        torch.manual_seed(6);
        using var full = new ReSpikeNet(Tiny(FusionMode.Full));
        ActivateFusions(full, 7);
        using var full3 = new ReSpikeNet(Tiny(FusionMode.Full3));
        full3.load_state_dict(full.state_dict());
        full.eval();
        full3.eval();
        using var _ = torch.no_grad();
        using var clip = Clip(2, 4, 64, seed: 8);

        using var withFusion1 = full.call(clip);
        using var reference = full3.call(clip);
        TensorAssert.NotEqual(withFusion1, reference, "full (fusion 1 active) vs full3");

        // a fusion block with a zero output projection returns its input unchanged: full then computes what full3 does
        Param(full, "fusions.0.proj_out.weight").zero_();
        Param(full, "fusions.0.proj_out.bias").zero_();
        using var withoutFusion1 = full.call(clip);
        TensorAssert.Equal(reference, withoutFusion1, "full with fusion 1 = identity vs full3");

        // and full3 ignores fusion 1's weights whatever they are
        foreach (var (_, p) in full3.named_parameters().Where(p => p.name.StartsWith("fusions.0."))) p.add_(1.0);
        using var changed = full3.call(clip);
        TensorAssert.Equal(reference, changed, "full3 after changing fusion 1's weights");

        using var pooled = new ReSpikeNet(Tiny(FusionMode.Pooled));
        pooled.load_state_dict(full3.state_dict());
        pooled.eval();
        using var pooledLogits = pooled.call(clip);
        TensorAssert.NotEqual(reference, pooledLogits, "pooled vs full3");
    }

    [Fact]
    public void Full3_charges_no_ops_for_fusion1_and_the_full_modes_ops_for_fusions_2_to_4()
    {
        // 64 px, stride 2, 4 frames: K = 2 key frames x 1 timestep = 2 query samples per clip
        var full3 = EnergyProfiler.MeasureUntrained(Tiny(FusionMode.Full3), samples: 1, seed: 9);
        var full = EnergyProfiler.MeasureUntrained(Tiny(FusionMode.Full), samples: 1, seed: 9);
        Assert.DoesNotContain(full3.Layers, l => l.Name.StartsWith("fusions.0.") || l.Name.StartsWith("grids.0"));
        Assert.Contains(full.Layers, l => l.Name.StartsWith("fusions.0."));
        var fusion1InFull = full.Layers.Where(l => l.Name.StartsWith("fusions.0.")).Sum(l => l.Macs);
        Assert.True(fusion1InFull > 0);
        Assert.Equal(full.Branch(Branch.Fusion).Macs - fusion1InFull, full3.Branch(Branch.Fusion).Macs, 6);
        var later = full.Layers.Where(l => l.Name.StartsWith("fusions.") && !l.Name.StartsWith("fusions.0.")).ToList();
        Assert.NotEmpty(later);
        foreach (var layer in later)
            Assert.Equal(layer.Macs, full3.Layers.Single(l => l.Name == layer.Name).Macs, 6);

        // full resolution: fusion 2 attends over the 8x8 stage-2 grid (784 tokens at 224 px), context at the same grid
        Assert.Equal(2.0 * 64 * 64 * 128, full3.Layers.Single(l => l.Name == "fusions.1.self_attn.qk").Macs);
        Assert.Equal(2.0 * 64 * 64 * 128, full3.Layers.Single(l => l.Name == "fusions.1.cross_attn.qk").Macs);
        Assert.Equal(2.0 * 16 * 16 * 256, full3.Layers.Single(l => l.Name == "fusions.2.cross_attn.qk").Macs);
        Assert.Equal(2.0 * 4 * 4 * 512, full3.Layers.Single(l => l.Name == "fusions.3.cross_attn.qk").Macs);
    }

    sealed record Fixture(string Backbone, int Classes, int Stride, int Frames, int Image, int Batch, string Fusion, long Params,
                          double[][] Logits, double[][] PooledLogits);

    [Fact]
    public void Full3_logits_match_the_pytorch_reference_without_downsample_within_1e_4()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", "resnet18-s4-f8-i64-full3.json");
        var f = JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var config = new ReSpikeConfig
        {
            Backbone = f.Backbone, NumClasses = f.Classes, Stride = f.Stride, Frames = f.Frames, ImageSize = f.Image,
            Fusion = ModelNames.ParseFusion(f.Fusion),
        };
        Assert.Equal(FusionMode.Full3, config.Fusion);
        using var net = new ReSpikeNet(config);
        Assert.Equal(f.Params, net.parameters().Sum(p => p.numel()));
        using (torch.no_grad())
            foreach (var (name, target) in net.state_dict())
            {
                using var value = DeterministicWeights.Value(ReferenceNames.ToReference(name)!, target.shape);
                target.copy_(value);
            }
        net.eval();
        using var clip = DeterministicWeights.Clip([f.Batch, f.Frames, 3, f.Image, f.Image]);
        using var logits = torch.no_grad().Apply(() => net.call(clip));
        using var expected = torch.tensor(f.Logits.SelectMany(r => r).ToArray(), dtype: ScalarType.Float32).reshape(f.Batch, f.Classes);
        double relative = (logits - expected).abs().max().item<float>() / expected.abs().max().item<float>();
        Assert.True(relative <= 1e-4, $"full3: rel_err {relative:E2}");
        // the same weights in pooled mode give the reference's downsample logits, which are far from full3's
        using var pooledNet = new ReSpikeNet(config with { Fusion = FusionMode.Pooled });
        pooledNet.load_state_dict(net.state_dict());
        pooledNet.eval();
        using var pooled = torch.no_grad().Apply(() => pooledNet.call(clip));
        using var expectedPooled = torch.tensor(f.PooledLogits.SelectMany(r => r).ToArray(), dtype: ScalarType.Float32).reshape(f.Batch, f.Classes);
        Assert.True((pooled - expectedPooled).abs().max().item<float>() / expectedPooled.abs().max().item<float>() <= 1e-4, "pooled logits");
        Assert.True((logits - pooled).abs().max().item<float>() > 1.0, "full3 and pooled logits should differ");
    }
}
