using ReSpike.Models;
using ReSpike.Models.Snn;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

/// <summary>Table 1's SNN baselines: ms-resnet18 (E2), snn-resnet18 (spike after the add) and tet-resnet18 (TET loss).</summary>
public class SnnBaselineTests
{
    /// <summary>
    /// Parameters by hand (docs/experiments.md): stem 3x3 conv 3->64 (1,728) + BN (128) = 1,856; a stage of widths cin->c is
    /// block 0 = 9*cin*c + 9*c*c + 2 BN (4c) + the 1x1 shortcut conv cin*c + its BN (2c), block 1 = 2*9*c*c + 4c. Every stage's
    /// first block strides (the stem has no maxpool), so all four have the shortcut:
    /// 64->64: 78,208 + 73,984 = 152,192; 64->128: 230,144 + 295,424 = 525,568; 128->256: 919,040 + 1,180,672 = 2,099,712;
    /// 256->512: 3,673,088 + 4,720,640 = 8,393,728; trunk 11,173,056. Head 512*C + C: 51,813 for UCF-101, 26,163 for HMDB-51.
    /// Both trunks have these layers (LIF neurons have no parameters; they differ only in where the neuron sits).
    /// </summary>
    [Theory]
    [InlineData("ms-resnet18", 101, 11_224_869)]
    [InlineData("snn-resnet18", 101, 11_224_869)]
    [InlineData("tet-resnet18", 101, 11_224_869)]
    [InlineData("ms-resnet18", 51, 11_199_219)]
    [InlineData("snn-resnet18", 51, 11_199_219)]
    public void Parameter_counts_match_the_hand_count(string model, int classes, long expected)
    {
        using var net = ModelRegistry.Create(new ReSpikeConfig { Name = model, NumClasses = classes, Frames = 16, Stride = 4 });
        Assert.Equal(expected, net.ParameterCount);
        Assert.Equal(1_728 + 128 + 152_192 + 525_568 + 2_099_712 + 8_393_728 + 512L * classes + classes, expected);
    }

    [Fact]
    public void The_spiking_resnet_passes_spikes_between_stages_and_ms_resnet_passes_membrane_values()
    {
        torch.manual_seed(3);
        using var spiking = new SpikingResNet();
        using var ms = new MSResNet();
        spiking.eval();
        ms.eval();
        using var noGrad = torch.no_grad();
        using var x = torch.randn(new long[] { 4, 2, 3, 32, 32 }) * 3;
        using var a = spiking.forward(x);
        using var b = ms.forward(x);
        Assert.Equal(new long[] { 4, 2, 512, 1, 1 }, a.shape);
        Assert.True(a.eq(0).logical_or(a.eq(1)).all().item<bool>(), "spike-after-add outputs are 0/1");
        Assert.False(b.eq(0).logical_or(b.eq(1)).all().item<bool>(), "MS-ResNet outputs are real-valued");
    }

    [Fact]
    public void Tet_loss_is_the_mean_per_timestep_cross_entropy_plus_the_mse_to_phi()
    {
        // two clips, two timesteps, two classes; by hand: CE(o, y) = log(sum exp o) - o_y
        using var perStep = torch.tensor(new float[] { 1, 0, 0, 2, /* clip 2 */ 0.5f, 0.5f, 3, -1 }).view(2, 2, 2);
        using var labels = torch.tensor(new long[] { 0, 1 });
        double Ce(double o0, double o1, int y) => Math.Log(Math.Exp(o0) + Math.Exp(o1)) - (y == 0 ? o0 : o1);
        double ce = (Ce(1, 0, 0) + Ce(0, 2, 0) + Ce(0.5, 0.5, 1) + Ce(3, -1, 1)) / 4;
        double mse = new[] { 1.0, 0, 0, 2, 0.5, 0.5, 3, -1 }.Select(o => (o - 1) * (o - 1)).Average();
        using var loss = TetLoss.Compute(perStep, labels);
        Assert.Equal((1 - 1e-3) * ce + 1e-3 * mse, loss.item<float>(), 5);
        Assert.Equal((1e-3, 1.0), (TetLoss.Lambda, TetLoss.Phi));
        var e = Assert.Throws<ArgumentException>(() => TetLoss.Compute(perStep.view(4, 2), labels));
        Assert.Contains("per-timestep logits [B, steps, classes]", e.Message);
    }

    [Fact]
    public void Tet_resnet18_trains_on_the_tet_loss_and_scores_the_averaged_logits()
    {
        torch.manual_seed(4);
        using var net = (ReSpikeNet)ModelRegistry.Create(Tiny("tet-resnet18"));
        net.eval();
        using var noGrad = torch.no_grad();
        using var clip = torch.randn(new long[] { 2, 4, 3, 32, 32 });
        using var labels = torch.tensor(new long[] { 0, 2 });
        var (logits, loss) = net.TrainingLoss(clip, labels);
        using var ownedL = logits;
        using var ownedS = loss;
        using var forward = net.call(clip);
        Assert.True(torch.allclose(forward, logits, rtol: 1e-4, atol: 1e-5));
        using var perStep = net.TimestepLogits(clip);
        using var expected = TetLoss.Compute(perStep, labels);
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
        // ms-resnet18, the same network, trains on the cross-entropy of the averaged logits
        using var ms = (ReSpikeNet)ModelRegistry.Create(Tiny("ms-resnet18"));
        ms.load_state_dict(net.state_dict());
        ms.eval();
        var (_, ce) = ms.TrainingLoss(clip, labels);
        using var ownedC = ce;
        using var manual = nn.functional.cross_entropy(forward, labels);
        Assert.Equal(manual.item<float>(), ce.item<float>(), 5);
    }

    static ReSpikeConfig Tiny(string model) => new() { Name = model, NumClasses = 3, Frames = 4, Stride = 2, ImageSize = 32 };

    [Theory]
    [InlineData("ms-resnet18")]
    [InlineData("snn-resnet18")]
    [InlineData("tet-resnet18")]
    public void Each_baseline_trains_its_loss_falls_on_a_fixed_batch(string model)
    {
        torch.manual_seed(11);
        using var net = ModelRegistry.Create(Tiny(model));
        net.train();
        using var optimizer = OptimizerRegistry.Optimizers.Get("adamw").Create(net, 0.9, 0);
        using var clips = torch.randn(new long[] { 6, 4, 3, 32, 32 });
        using var labels = torch.tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        var losses = Enumerable.Range(0, 12).Select(_ => TrainingStep.Run(net, optimizer, clips, labels, 1e-3).Loss).ToList();
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^1] < 0.5 * losses[0], $"{model}: loss {losses[0]:0.###} -> {losses[^1]:0.###}");
    }
}
