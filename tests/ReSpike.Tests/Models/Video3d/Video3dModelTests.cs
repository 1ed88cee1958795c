using ReSpike.Data.Transforms;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Models.Video3d;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.Video3d;

/// <summary>
/// The 3D baselines against torchvision.models.video and mmaction2's C3D: parameter counts, names and shapes, eval
/// logits on integer-hash weights (Fixtures/video3d, regenerate with generate.py there) and dense MACs at 16 × 112².
/// </summary>
public class Video3dModelTests
{
    static readonly Video3dFixture Fixture = Video3dFixture.Load();

    static ReSpikeConfig Config(string model, int classes, int frames = 16, int image = 112) =>
        new() { Name = model, NumClasses = classes, Frames = frames, ImageSize = image, Stride = 1 };

    [Theory]
    [InlineData("r3d-18", 33_371_472)]
    [InlineData("mc3-18", 11_695_440)]
    [InlineData("r2plus1d-18", 31_505_325)]
    public void Parameter_counts_with_400_classes_are_torchvision_s(string model, long expected)
    {
        using var net = ModelRegistry.Create(Config(model, 400));
        Assert.Equal(expected, net.ParameterCount);
        Assert.Equal(Fixture.Models[model].Params400, net.ParameterCount);
    }

    [Fact]
    public void C3D_has_mmaction2_s_78_4_M_parameters_with_101_classes()
    {
        using var net = ModelRegistry.Create(Config("c3d", 101));
        // 27,655,936 conv + fc6 33,558,528 + fc7 16,781,312 + fc_cls 413,797 (mmaction2's README: 78.4M)
        Assert.Equal(78_409_573, net.ParameterCount);
        Assert.Equal(Fixture.Macs16x112["c3d"].Params101, net.ParameterCount);
        var names = net.state_dict().Keys.ToList();
        Assert.Equal(["backbone.conv1a.conv.weight", "backbone.conv1a.conv.bias"], names.Take(2));
        Assert.Contains("backbone.fc6.weight", names);
        Assert.Equal("cls_head.fc_cls.bias", names[^1]);
    }

    [Theory]
    [InlineData("r3d-18")]
    [InlineData("mc3-18")]
    [InlineData("r2plus1d-18")]
    public void State_dict_names_and_shapes_are_torchvision_s(string model)
    {
        using var net = ModelRegistry.Create(Config(model, Fixture.Classes));
        // TorchSharp lists a module's parameters before its buffers, PyTorch interleaves them: compare as sorted lists
        var ours = net.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").Order(StringComparer.Ordinal).ToList();
        var theirs = Fixture.Models[model].State
            .Select(e => $"{e[0].GetString()} [{string.Join(", ", e[1].EnumerateArray().Select(d => d.GetInt64()))}]").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(theirs, ours);
    }

    [Theory]
    [InlineData("r3d-18")]
    [InlineData("mc3-18")]
    [InlineData("r2plus1d-18")]
    public void Eval_logits_match_torchvision_on_hash_weights_within_1e_4(string model)
    {
        var f = Fixture;
        using var net = ModelRegistry.Create(Config(model, f.Classes, f.Frames, f.Image));
        using (torch.no_grad())
            foreach (var (name, target) in net.state_dict())
            {
                using var value = DeterministicWeights.Value(name, target.shape);
                target.copy_(value);
            }
        net.eval();
        using var clip = DeterministicWeights.Clip([f.Batch, f.Frames, 3, f.Image, f.Image]);
        using var noGrad = torch.no_grad();
        using var logits = net.call(clip);
        using var expected = torch.tensor(f.Models[model].Logits.SelectMany(r => r).ToArray(), dtype: ScalarType.Float32).reshape(f.Batch, f.Classes);
        double maxAbs = (logits - expected).abs().max().item<float>();
        double relative = maxAbs / expected.abs().max().item<float>();
        Assert.True(relative <= 1e-4, $"{model}: rel_err {relative:E2} (max abs err {maxAbs:E2})");
        // the logits are not degenerate: the two clips of the batch differ
        Assert.True((expected[0] - expected[1]).abs().max().item<float>() > 1e-3);
    }

    [Theory]
    [InlineData("c3d")]
    [InlineData("r3d-18")]
    [InlineData("mc3-18")]
    [InlineData("r2plus1d-18")]
    public void Dense_macs_at_16x112_equal_the_hook_count_on_the_pytorch_model(string model)
    {
        var profile = EnergyProfiler.MeasureUntrained(Config(model, 101));
        var expected = Fixture.Macs16x112[model];
        Assert.Equal(expected.TotalMacs, profile.Total.Macs, expected.TotalMacs * 1e-9);
        Assert.Equal(expected.PoolAdds, profile.Total.Adds, 1e-3);
        Assert.Equal(0, profile.Total.Acs);
    }

    [Fact]
    public void C3D_refuses_fewer_than_16_frames_naming_the_flag()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("c3d", 101, frames: 8)));
        Assert.Contains("--frames", error.Message);
        Assert.Contains("16", error.Message);
    }

    [Fact]
    public void C3D_refuses_a_clip_of_another_size_than_it_was_built_for()
    {
        using var net = ModelRegistry.Create(Config("c3d", 3));
        using var clip = torch.zeros([1, 16, 3, 64, 64]);
        var error = Assert.Throws<ArgumentException>(() => net.call(clip));
        Assert.Contains("--image", error.Message);
    }

    [Fact]
    public void Pipeline_clips_reach_each_network_in_its_own_statistics_and_NCTHW()
    {
        // one pixel value 200 in all channels, through the pipeline's ImageNet normalisation
        using var pixels = torch.full([2, 3, 4, 4], 200f);   // [T, 3, H, W]
        using var normalised = new Normalize().Apply(pixels, new Random(0));
        using var clip = normalised.unsqueeze(0);            // [1, T, 3, H, W]
        using var kinetics = ClipNormalisation.TorchvisionKinetics.ToNetworkInput(clip);
        using var c3d = ClipNormalisation.C3DMmaction2.ToNetworkInput(clip);
        Assert.Equal([1L, 3, 2, 4, 4], kinetics.shape);
        double[] kMean = [0.43216, 0.394666, 0.37645], kStd = [0.22803, 0.22145, 0.216989], cMean = [104, 117, 128];
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal((200 / 255.0 - kMean[c]) / kStd[c], kinetics[0, c, 1, 2, 3].item<float>(), 1e-5);
            Assert.Equal(200 - cMean[c], c3d[0, c, 1, 2, 3].item<float>(), 1e-3);
        }
    }
}
