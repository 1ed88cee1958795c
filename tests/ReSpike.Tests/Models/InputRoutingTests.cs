using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

/// <summary>
/// The ablation's input routing (<see cref="AnnInput"/>, <see cref="SnnInput"/>): each routed frame is one vote, and a
/// branch fed a routing equals the same branch fed those frames directly as a clip.
/// </summary>
public class InputRoutingTests
{
    static ReSpikeConfig Config(string model, int stride, int frames, AnnInput? ann = null, SnnInput? snn = null) => new()
    {
        Name = model, Backbone = "resnet18", NumClasses = 3, Stride = stride, Frames = frames, ImageSize = 32, AnnInput = ann, SnnInput = snn,
    };

    static Tensor Clip(long batch, long frames, int seed = 0)
    {
        torch.manual_seed(seed);
        return torch.randn(new[] { batch, frames, 3, 32, 32 });
    }

    /// <summary>Two networks with the same weights (the second loads the first's state dict), in eval mode.</summary>
    static (ReSpikeNet A, ReSpikeNet B) Twins(ReSpikeConfig a, ReSpikeConfig b)
    {
        torch.manual_seed(5);
        var first = new ReSpikeNet(a);
        var second = new ReSpikeNet(b);
        second.load_state_dict(first.state_dict());
        first.eval();
        second.eval();
        return (first, second);
    }

    static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(torch.allclose(expected, actual, rtol: 1e-4, atol: 1e-5), $"max difference {(expected - actual).abs().max().item<float>()}");

    [Fact]
    public void Ann_on_all_frames_averages_one_vote_per_frame()
    {
        var (all, _) = Twins(Config("ann-all", stride: 4, frames: 8), Config("ann-all", stride: 4, frames: 8));
        using var ownedA = all;
        using var noGrad = torch.no_grad();
        using var clip = Clip(2, 8);
        using var votes = all.SegmentLogits(clip);
        Assert.Equal(new long[] { 2, 8, 3 }, votes.shape);
        // frame t's vote is what the model says about a clip that is frame t repeated (every vote then equals it)
        for (int t = 0; t < 8; t++)
        {
            using var repeated = clip.narrow(1, t, 1).expand(2, 8, 3, 32, 32).contiguous();
            using var alone = all.call(repeated);
            AssertClose(alone, votes.select(1, t));
        }
        using var logits = all.call(clip);
        AssertClose(votes.mean([1]), logits);
    }

    [Fact]
    public void Ann_on_residuals_is_the_ann_on_the_residual_frames()
    {
        var (res, all) = Twins(Config("ann-res", stride: 4, frames: 8), Config("ann-all", stride: 1, frames: 6));
        using var ownedA = res;
        using var ownedB = all;
        using var noGrad = torch.no_grad();
        using var clip = Clip(2, 8, seed: 1);
        // residuals frame_j - key of the two groups of four: 6 frames
        using var groups = clip.view(2, 2, 4, 3, 32, 32);
        using var residuals = (groups.narrow(2, 1, 3) - groups.narrow(2, 0, 1)).reshape(2, 6, 3, 32, 32);
        using var viaRouting = res.call(clip);
        using var direct = all.call(residuals);
        AssertClose(direct, viaRouting);
        using var votes = res.SegmentLogits(clip);
        Assert.Equal(6, votes.shape[1]);
    }

    [Fact]
    public void Snn_on_key_frames_is_the_snn_on_a_clip_of_the_key_frames()
    {
        var (key, rgb) = Twins(Config("snn-key", stride: 4, frames: 8), Config("ms-resnet18", stride: 1, frames: 2));
        using var ownedA = key;
        using var ownedB = rgb;
        using var noGrad = torch.no_grad();
        using var clip = Clip(2, 8, seed: 2);
        using var keys = clip.view(2, 2, 4, 3, 32, 32).select(2, 0).contiguous();
        using var viaRouting = key.call(clip);
        using var direct = rgb.call(keys);
        AssertClose(direct, viaRouting);
        // and the key frames are what it sees: changing a non-key frame changes nothing
        using var changed = clip.clone();
        changed.narrow(1, 1, 1).fill_(3.0);
        using var same = key.call(changed);
        AssertClose(viaRouting, same);
    }

    [Fact]
    public void Snn_on_rgb_frames_runs_one_timestep_per_frame_and_votes_over_timesteps()
    {
        torch.manual_seed(6);
        using var net = new ReSpikeNet(Config("ms-resnet18", stride: 4, frames: 8));
        net.eval();
        using var noGrad = torch.no_grad();
        using var clip = Clip(2, 8, seed: 3);
        using var perStep = net.TimestepLogits(clip);
        Assert.Equal(new long[] { 2, 8, 3 }, perStep.shape);
        using var logits = net.call(clip);
        AssertClose(perStep.mean([1]), logits);
        // one sequence of T steps: the last frame influences only the last timestep's logits
        using var changed = clip.clone();
        changed.narrow(1, 7, 1).fill_(3.0);
        using var perStepChanged = net.TimestepLogits(changed);
        AssertClose(perStep.narrow(1, 0, 7), perStepChanged.narrow(1, 0, 7));
        Assert.False(torch.allclose(perStep.select(1, 7), perStepChanged.select(1, 7)));
    }

    [Fact]
    public void The_residual_snn_timesteps_are_ordered_by_segment_and_average_to_the_logits()
    {
        torch.manual_seed(7);
        using var net = new ReSpikeNet(Config("snn", stride: 4, frames: 8));
        net.eval();
        using var noGrad = torch.no_grad();
        using var clip = Clip(2, 8, seed: 4);
        using var perStep = net.TimestepLogits(clip);
        Assert.Equal(new long[] { 2, 6, 3 }, perStep.shape);   // 2 segments x 3 residual timesteps
        using var logits = net.call(clip);
        AssertClose(perStep.mean([1]), logits);
        // the second segment's frames change only its own three timesteps (the membranes restart every group)
        using var changed = clip.clone();
        changed.narrow(1, 5, 1).fill_(3.0);
        using var perStepChanged = net.TimestepLogits(changed);
        AssertClose(perStep.narrow(1, 0, 3), perStepChanged.narrow(1, 0, 3));
    }

    [Fact]
    public void The_config_fields_override_the_registered_models_inputs()
    {
        // respike with model.snn_input = rgb is E3, respike-rgb
        var (overridden, preset) = Twins(Config("respike", stride: 4, frames: 8, snn: SnnInput.Rgb), Config("respike-rgb", stride: 4, frames: 8));
        using var ownedA = overridden;
        using var ownedB = preset;
        using var noGrad = torch.no_grad();
        using var clip = Clip(1, 8, seed: 5);
        using var a = overridden.call(clip);
        using var b = preset.call(clip);
        AssertClose(b, a);
        Assert.Equal((AnnInput.Key, SnnInput.Rgb), (overridden.AnnRoute, overridden.SnnRoute));
        using var votes = preset.SegmentLogits(clip);
        Assert.Equal(new long[] { 1, 2, 3 }, votes.shape);   // one vote per key-frame segment
    }

    [Fact]
    public void The_hybrid_on_rgb_frames_trains_its_fusion()
    {
        torch.manual_seed(8);
        using var net = new ReSpikeNet(Config("respike-rgb", stride: 2, frames: 4));
        net.train();
        using var clip = Clip(2, 4, seed: 6);
        using var labels = torch.tensor(new long[] { 0, 2 });
        // cross-entropy, not a plain sum of logits: train-mode BatchNorm passes no gradient back for an upstream gradient
        // that is the same for every sample
        using var loss = nn.functional.cross_entropy(net.call(clip), labels);
        loss.backward();
        foreach (var name in new[] { "fusions.3.proj_out.weight", "snn.stem.0.weight", "ann.conv1.weight" })
            Assert.True(net.named_parameters().Single(p => p.name == name).parameter.grad!.abs().sum().item<float>() > 0, $"{name} got no gradient");
    }

    [Theory]
    [InlineData("respike", null, "all", "model.ann_input: the hybrid model 'respike' needs the ANN on key frames")]
    [InlineData("ann-res", 1, null, "--stride: model 'ann-res' with ANN input 'residual' needs stride >= 2")]
    [InlineData("snn", 1, null, "--stride: model 'snn' needs stride >= 2")]
    public void Impossible_routings_are_refused_naming_the_setting(string model, int? stride, string? ann, string message)
    {
        var config = Config(model, stride ?? 4, 8, ann is null ? null : BranchInputNames.ParseAnnInput(ann));
        var e = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Rgb_and_key_snns_and_all_frame_anns_take_stride_1()
    {
        foreach (var model in new[] { "ms-resnet18", "snn-key", "ann-all", "snn-resnet18", "tet-resnet18" })
            Assert.Equal(1, Config(model, 1, 4).Validate().Stride);
    }

    [Fact]
    public void Inputs_round_trip_through_json_and_are_absent_when_not_set()
    {
        var set = Config("respike", 4, 8, AnnInput.Key, SnnInput.Rgb);
        var json = set.ToJson();
        Assert.Contains("\"ann_input\":\"key\"", json);
        Assert.Contains("\"snn_input\":\"rgb\"", json);
        Assert.Equal(set, ReSpikeConfig.FromJson(json));
        // a config that leaves them to the model writes neither (checkpoints from before the routing read the same)
        var plain = Config("respike", 4, 8).ToJson();
        Assert.DoesNotContain("_input", plain);
        Assert.Equal(["snn_input: rgb vs the model's"], set.Differences(Config("respike", 4, 8, AnnInput.Key)));
    }

    [Fact]
    public void E1_to_E9_are_the_presets_of_the_papers_table()
    {
        var expected = new (string Id, string Model, ModelVariant Variant, AnnInput Ann, SnnInput Snn)[]
        {
            ("E1", "ann-all", ModelVariant.Ann, AnnInput.All, SnnInput.Residual),
            ("E2", "ms-resnet18", ModelVariant.Snn, AnnInput.Key, SnnInput.Rgb),
            ("E3", "respike-rgb", ModelVariant.ReSpike, AnnInput.Key, SnnInput.Rgb),
            ("E4", "ann", ModelVariant.Ann, AnnInput.Key, SnnInput.Residual),
            ("E5", "ann-res", ModelVariant.Ann, AnnInput.Residual, SnnInput.Residual),
            ("E6", "snn", ModelVariant.Snn, AnnInput.Key, SnnInput.Residual),
            ("E7", "snn-key", ModelVariant.Snn, AnnInput.Key, SnnInput.Key),
            ("E8", "respike-noattn", ModelVariant.ReSpikeNoAttention, AnnInput.Key, SnnInput.Residual),
            ("E9", "respike", ModelVariant.ReSpike, AnnInput.Key, SnnInput.Residual),
        };
        foreach (var (id, model, variant, ann, snn) in expected)
        {
            var p = ReSpikePresets.OfAblation(id)!;
            // the branch a model does not have keeps the default routing, which nothing reads
            Assert.Equal((model, variant), (p.Name, p.Variant));
            if (variant.UsesAnn()) Assert.Equal(ann, p.Ann);
            if (variant.UsesSnn()) Assert.Equal(snn, p.Snn);
            Assert.True(ModelRegistry.Models.Contains(model));
        }
        Assert.Null(ReSpikePresets.OfAblation("E10"));
    }
}
