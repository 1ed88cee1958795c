using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

public class ReSpikeNetTests
{
    static ReSpikeConfig Tiny(ModelVariant variant, int stride = 2, int frames = 4, FusionMode fusion = FusionMode.Pooled) => new()
    {
        Variant = variant, Backbone = "resnet18", NumClasses = 3, Stride = stride, Frames = frames, ImageSize = 64, Fusion = fusion,
    };

    static Tensor Clip(long batch, long frames, long image, int seed = 0)
    {
        torch.manual_seed(seed);
        return torch.randn(new[] { batch, frames, 3, image, image });
    }

    static Tensor Grad(ReSpikeNet net, string name) => net.named_parameters().Single(p => p.name == name).parameter.grad!;

    [Theory]
    [InlineData(ModelVariant.ReSpike, true, true, true)]
    [InlineData(ModelVariant.ReSpikeNoAttention, true, true, false)]   // the ablation: ANN and SNN features without the attention fusion
    [InlineData(ModelVariant.Ann, true, false, false)]
    [InlineData(ModelVariant.Snn, false, true, false)]
    public void Every_variant_trains_forward_and_backward(ModelVariant variant, bool ann, bool snn, bool fusion)
    {
        torch.manual_seed(1);
        using var net = new ReSpikeNet(Tiny(variant, stride: 2, frames: 4));
        net.train();
        using var clip = Clip(2, 4, 64);
        using var labels = torch.tensor(new long[] { 0, 2 });
        using var logits = net.call(clip);
        Assert.Equal(new long[] { 2, 3 }, logits.shape);
        using var loss = nn.functional.cross_entropy(logits, labels);
        loss.backward();
        Assert.True(double.IsFinite(loss.item<float>()));
        // each branch the variant has is present and receives gradient; the others are absent
        Assert.Equal((ann, snn, fusion), (variant.UsesAnn(), variant.UsesSnn(), variant.UsesFusion()));
        bool Has(string prefix) => net.named_parameters().Any(p => p.name.StartsWith(prefix));
        Assert.Equal((ann, snn, fusion), (Has("ann."), Has("snn."), Has("fusions.")));
        var withGradient = new List<string> { "fc.weight" };
        if (ann) withGradient.Add("ann.conv1.weight");
        if (snn) withGradient.Add("snn.stem.0.weight");
        // proj_out starts at zero (fusion = identity) but receives gradient, so fusion can learn
        if (fusion) withGradient.AddRange(["fusions.3.proj_out.weight", "fusions.0.proj_out.weight"]);
        foreach (var name in withGradient)
            Assert.True(Grad(net, name).abs().sum().item<float>() > 0, $"{name} got no gradient");
    }

    [Fact]
    public void Full_fusion_mode_fuses_all_four_stages()
    {
        torch.manual_seed(2);
        using var net = new ReSpikeNet(Tiny(ModelVariant.ReSpike, fusion: FusionMode.Full));
        net.train();
        using var clip = Clip(1, 4, 64);
        using var loss = net.call(clip).sum();
        loss.backward();
        for (int i = 0; i < 4; i++)
            Assert.True(Grad(net, $"fusions.{i}.proj_out.weight").abs().sum().item<float>() > 0, $"fusion {i} got no gradient");
        Assert.Equal(1, net.PoolFactor(0));
    }

    [Fact]
    public void Batch_norm_statistics_update_once_per_timestep_in_training()
    {
        using var net = new ReSpikeNet(Tiny(ModelVariant.ReSpike, stride: 4, frames: 8));
        net.train();
        using var clip = Clip(1, 8, 64);
        using var _ = net.call(clip);
        var buffers = net.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.Equal(3, buffers["snn.stem.1.num_batches_tracked"].item<long>());          // s - 1 = 3 timesteps
        Assert.Equal(3, buffers["snn.layer2.0.shortcut.2.num_batches_tracked"].item<long>());
        Assert.Equal(1, buffers["ann.bn1.num_batches_tracked"].item<long>());             // key frames once
    }

    [Fact]
    public void Eval_is_deterministic_because_neuron_state_resets_every_forward()
    {
        torch.manual_seed(4);
        using var net = new ReSpikeNet(Tiny(ModelVariant.Snn, stride: 4, frames: 4));
        using var clip = Clip(2, 4, 64, seed: 5);
        net.eval();
        using var a = net.call(clip);
        using var b = net.call(clip);
        TensorAssert.Equal(a, b); // state is reset per forward: no leakage between calls
    }

    [Theory]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(112)]
    [InlineData(160)]
    [InlineData(224)]
    public void Image_sizes_from_64_to_224_work(int image)
    {
        using var net = new ReSpikeNet(new ReSpikeConfig { NumClasses = 4, Stride = 4, Frames = 4, ImageSize = image });
        net.eval();
        using var clip = Clip(1, 4, image);
        using var logits = torch.no_grad().Apply(() => net.call(clip));
        Assert.Equal(new long[] { 1, 4 }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Fact]
    public void Segment_logits_are_averaged_over_key_frames()
    {
        using var net = new ReSpikeNet(Tiny(ModelVariant.ReSpike, stride: 2, frames: 6));
        net.eval();
        using var clip = Clip(2, 6, 64);
        using var _ = torch.no_grad();
        using var segments = net.SegmentLogits(clip);
        Assert.Equal(new long[] { 2, 3, 3 }, segments.shape);  // B, K = 6/2, classes
        using var logits = net.call(clip);
        Assert.True(torch.allclose(logits, segments.mean([1]), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Ann_variant_sees_only_key_frames()
    {
        using var net = new ReSpikeNet(Tiny(ModelVariant.Ann, stride: 2, frames: 4));
        net.eval();
        using var _ = torch.no_grad();
        using var clip = Clip(1, 4, 64);
        using var changed = clip.clone();
        changed[0, 1].add_(3.0);   // frame 1 and 3 are residual frames for stride 2
        changed[0, 3].mul_(-1.0);
        TensorAssert.Equal(net.call(clip), net.call(changed));
        changed[0, 2].add_(1.0);   // a key frame
        TensorAssert.NotEqual(net.call(clip), net.call(changed));
    }

    [Fact]
    public void Snn_variant_sees_only_residuals_to_the_key_frame()
    {
        using var net = new ReSpikeNet(Tiny(ModelVariant.Snn, stride: 2, frames: 4));
        net.eval();
        using var _ = torch.no_grad();
        using var clip = Clip(1, 4, 64);
        using var shifted = clip.clone();
        shifted[0, torch.TensorIndex.Slice(0, 2)].add_(0.75);  // same offset on a whole group: residuals unchanged
        using var a = net.call(clip);
        using var b = net.call(shifted);
        Assert.True(torch.allclose(a, b, rtol: 0, atol: 1e-5));
        shifted[0, 1].add_(1.0);                                  // a residual frame alone
        using var c = net.call(shifted);
        Assert.False(torch.allclose(a, c, rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(4, 10, 112, "--frames")]
    [InlineData(4, 16, 100, "--image")]
    [InlineData(1, 16, 112, "--stride")]
    public void Invalid_configs_name_the_flag(int stride, int frames, int image, string flag)
    {
        var error = Assert.Throws<ArgumentException>(() => new ReSpikeConfig { Stride = stride, Frames = frames, ImageSize = image }.Validate());
        Assert.StartsWith(flag, error.Message);
    }

    [Fact]
    public void Ann_variant_accepts_stride_1_for_per_frame_2d_costing()
    {
        var config = new ReSpikeConfig { Variant = ModelVariant.Ann, Stride = 1, Frames = 16 }.Validate();
        Assert.Equal(16, config.Segments);
    }

    [Fact]
    public void Unknown_backbone_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReSpikeConfig { Backbone = "vgg16" }.Validate());
        Assert.Contains("--backbone", error.Message);
        Assert.Contains("resnet50", error.Message);
    }

    [Fact]
    public void Clip_with_the_wrong_frame_count_is_refused()
    {
        using var net = new ReSpikeNet(Tiny(ModelVariant.ReSpike, stride: 4, frames: 8));
        using var clip = Clip(1, 6, 64);
        var error = Assert.Throws<ArgumentException>(() => net.call(clip));
        Assert.Contains("not a multiple of the stride 4", error.Message);
    }
}

public class InitializationTests
{
    [Fact]
    public void Fresh_models_have_pytorch_default_norm_parameters_and_no_garbage()
    {
        for (int build = 0; build < 3; build++) // the uninitialised-memory bug showed up only sometimes
        {
            using var net = new ReSpikeNet(new ReSpikeConfig { NumClasses = 4, Stride = 2, Frames = 2, ImageSize = 64 });
            foreach (var (name, p) in net.named_parameters())
                Assert.False(p.isnan().any().item<bool>() || p.isinf().any().item<bool>(), $"{name} holds NaN/inf");
            // every norm layer, found by type (a name filter could silently select none): weight 1, bias 0
            var norms = new Dictionary<string, int> { ["BatchNorm2d"] = 0, ["GroupNorm"] = 0, ["LayerNorm"] = 0 };
            foreach (var (name, module) in net.named_modules())
            {
                var (weight, bias) = module switch
                {
                    TorchSharp.Modules.BatchNorm2d bn => (bn.weight, bn.bias),
                    TorchSharp.Modules.GroupNorm gn => (gn.weight, gn.bias),
                    TorchSharp.Modules.LayerNorm ln => (ln.weight, ln.bias),
                    _ => (null, null),
                };
                if (weight is null) continue;
                norms[module.GetType().Name]++;
                Assert.True(weight.eq(1).all().item<bool>(), $"{name}.weight should start at 1");
                Assert.NotNull(bias);
                Assert.True(bias!.eq(0).all().item<bool>(), $"{name}.bias should start at 0");
            }
            Assert.All(norms, kv => Assert.True(kv.Value > 0, $"no {kv.Key} found: the check above saw none of them"));
            foreach (var (name, b) in net.named_buffers())
                Assert.False(b.isnan().any().item<bool>(), $"{name} holds NaN");
        }
    }
}
