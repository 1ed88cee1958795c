using ReSpike.Models;
using ReSpike.Models.SpikingResformer;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.SpikingResformer;

/// <summary>The SpikingResformer port: sizes and names of the official variants, inputs, and the DSSA firing-rate buffers.</summary>
public class SpikingResformerModelTests
{
    static SpikingResformerNet Build(string variant, int classes = 1000, int timesteps = 2, int image = 224) =>
        (SpikingResformerNet)ModelRegistry.Create(new ReSpikeConfig { Name = variant, NumClasses = classes, Stride = 1, Frames = timesteps, ImageSize = image });

    [Theory]
    [InlineData("spikingresformer-ti", 11_180_992)]
    [InlineData("spikingresformer-s", 17_813_824)]
    [InlineData("spikingresformer-m", 35_601_472)]
    [InlineData("spikingresformer-l", 60_375_680)]
    [InlineData("spikingresformer-dvsg", 2_899_718)]
    [InlineData("spikingresformer-cifar", 11_173_312)]
    public void Parameter_counts_equal_the_official_constructors(string variant, long expected)
    {
        using var net = Build(variant);
        Assert.Equal(expected, net.ParameterCount);
    }

    [Fact]
    public void State_dict_names_are_the_official_ones()
    {
        using var net = Build("spikingresformer-dvsg", classes: 10, image: 64);
        var names = net.state_dict().Keys.ToHashSet();
        Assert.Equal(249, names.Count);
        foreach (var name in new[]
                 {
                     "prologue.0.weight", "prologue.1.bn.running_var", "layers.0.0.firing_rate_x", "layers.0.0.firing_rate_attn",
                     "layers.0.0.activation_in.w", "layers.0.0.W.weight", "layers.0.0.norm.bn.weight", "layers.0.0.Wproj.weight",
                     "layers.0.0.norm_proj.bn.num_batches_tracked", "layers.0.1.up.0.w", "layers.0.1.conv.0.1.weight",
                     "layers.0.1.down.2.bn.bias", "layers.1.0.conv.weight", "layers.1.0.norm.bn.weight", "layers.1.0.activation.w",
                     "layers.2.6.down.1.weight", "classifier.weight",
                 })
            Assert.Contains(name, names);
        Assert.DoesNotContain("classifier.bias", names);
        Assert.Equal([1L, 1, 6, 1, 1], net.state_dict()["layers.2.5.firing_rate_attn"].shape);
        Assert.Equal([768L, 32, 3, 3], net.state_dict()["layers.2.6.conv.0.1.weight"].shape); // hidden 4 x 192 = 768 in groups of 32
    }

    [Fact]
    public void Firing_rates_start_from_the_first_training_batch_then_follow_an_ema_in_training_only()
    {
        torch.manual_seed(3);
        using var net = Build("spikingresformer-cifar", classes: 4, image: 32);
        foreach (var conv in net.modules().OfType<SequenceConv2d>()) using (torch.no_grad()) nn.init.normal_(conv.Weight, 0, Math.Sqrt(2.0 / (conv.Weight[0].numel())));
        var dssa = net.AttentionBlocks.First();
        var rates = new List<double>();
        dssa.InputNeuron.register_forward_hook((_, _, spikes) => { rates.Add(spikes.mean().item<float>()); return null!; }); // one head in stage 1
        using var image = torch.randn(2, 3, 32, 32);
        net.train();
        using (torch.no_grad()) net.call(image).Dispose();
        double first = rates[0];
        Assert.InRange(first, 0.01, 0.99);
        Assert.Equal(first, dssa.FiringRateX.item<float>(), 6); // the first batch's rate, not 0.001 of it

        using var other = torch.randn(2, 3, 32, 32) * 3;
        using (torch.no_grad()) net.call(other).Dispose();
        double second = rates[1];
        Assert.Equal(0.999 * first + 0.001 * second, dssa.FiringRateX.item<float>(), 6);

        net.eval();
        float before = dssa.FiringRateX.item<float>();
        using (torch.no_grad()) net.call(other).Dispose();
        Assert.Equal(before, dssa.FiringRateX.item<float>());
    }

    [Fact]
    public void A_one_frame_clip_is_repeated_over_T_and_a_T_frame_clip_is_a_sequence()
    {
        torch.manual_seed(5);
        using var net = Build("spikingresformer-cifar", classes: 3, timesteps: 3, image: 32);
        using (torch.no_grad()) foreach (var dssa in net.AttentionBlocks) { dssa.FiringRateX.fill_(0.2); dssa.FiringRateAttn.fill_(0.2); }
        net.eval();
        using var image = torch.randn(2, 3, 32, 32);
        using var _ = torch.no_grad();
        using var fromImage = net.ForwardTimesteps(image);
        using var fromOneFrame = net.ForwardTimesteps(image.unsqueeze(1));
        using var fromRepeated = net.ForwardTimesteps(image.unsqueeze(1).expand(-1, 3, -1, -1, -1));
        Assert.Equal([3L, 2, 3], fromImage.shape);
        Assert.True(fromImage.allclose(fromOneFrame, rtol: 0, atol: 0));
        Assert.True(fromImage.allclose(fromRepeated));
        using var mean = net.call(image);
        Assert.True(mean.allclose(fromImage.mean([0])));

        var error = Assert.Throws<ArgumentException>(() => net.ForwardTimesteps(torch.randn([2, 2, 3, 32, 32])));
        Assert.Contains("2 frames", error.Message);
        Assert.Contains("T = 3", error.Message);
    }

    [Fact]
    public void Plif_leak_is_the_sigmoid_of_w_and_w_starts_at_zero()
    {
        using var plif = new ParametricLIFNode(initTau: 2.0, detachReset: true, stepMode: ReSpike.Spiking.StepMode.Multi);
        Assert.Equal(0f, plif.W.item<float>());
        Assert.Equal(2.0, plif.Tau, 6);
        using var x = torch.tensor(new float[] { 1.5f, 1.5f, 0.4f }).reshape(3, 1);
        using var spikes = plif.call(x);
        // h1 = 0.75 (silent), h2 = 0.75 + 0.375 = 1.125 (fires, reset to 0), h3 = 0.2 (silent)
        Assert.Equal(new float[] { 0, 1, 0 }, spikes.flatten().data<float>().ToArray());
    }
}
