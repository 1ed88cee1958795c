using ReSpike.Models;
using ReSpike.Runtime;
using ReSpike.Spiking;
using ReSpike.Spiking.Layers;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Spiking;

/// <summary>Channels-last feature maps: the layout itself, the kernels that take it, and the hybrid's inference on it.</summary>
public class ChannelsLastTests
{
    [Fact]
    public void From_keeps_shape_and_values_and_puts_channels_innermost()
    {
        manual_seed(1);
        using var x = randn(2, 3, 4, 5);
        using var cl = ChannelsLast.From(x);
        Assert.Equal(x.shape, cl.shape);
        Assert.Equal([60L, 1, 15, 3], cl.stride());
        Assert.True(ChannelsLast.Is(cl));
        Assert.False(ChannelsLast.Is(x));
        Assert.False(cl.is_contiguous());
        TensorAssert.Equal(x, cl.contiguous());

        // a sequence [T, N, C, H, W]: each sample channels-last, time and batch outermost as usual
        using var sequence = randn([3, 2, 4, 5, 6]);
        using var clSequence = ChannelsLast.From(sequence);
        Assert.Equal([240L, 120, 1, 24, 4], clSequence.stride());
        Assert.True(ChannelsLast.Is(clSequence));
        TensorAssert.Equal(sequence, clSequence.contiguous());
        // folding time into the batch keeps the layout
        using var folded = clSequence.flatten(0, 1);
        Assert.True(ChannelsLast.Is(folded));
    }

    [Fact]
    public void Fused_lif_on_channels_last_input_equals_the_contiguous_run_bit_for_bit()
    {
        manual_seed(2);
        using var x = randn([4, 2, 8, 5, 6]).mul_(2);
        using var cl = ChannelsLast.From(x);
        using var lif = LIFNode.ReSpike(StepMode.Multi);
        using var expected = lif.call(x);
        using var expectedV = lif.V!.clone();
        Functional.ResetNet(lif);
        using var actual = lif.call(cl);
        Assert.True(ChannelsLast.Is(actual), "spikes keep the input's layout");
        TensorAssert.Equal(expected, actual.contiguous());
        TensorAssert.Equal(expectedV, lif.V!.contiguous());

        // and the input gradient through the fused backward
        using var xg = x.clone().requires_grad_(true);
        using var clg = ChannelsLast.From(x).detach().requires_grad_(true);
        using var seed = randn([4, 2, 8, 5, 6]);
        Functional.ResetNet(lif);
        using var s1 = lif.call(xg);
        using var g1 = autograd.grad([s1], [xg], [seed])[0];
        Functional.ResetNet(lif);
        using var s2 = lif.call(clg);
        using var g2 = autograd.grad([s2], [clg], [seed])[0];
        TensorAssert.Equal(g1, g2.contiguous());
    }

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(2, 0.3)]
    public void Event_driven_convolution_takes_channels_last_spikes_and_answers_channels_last(int stride, double density)
    {
        manual_seed(3);
        using var conv = new SpikeDrivenConv2d(16, 24, 3, stride, padding: 1);
        using var spikes = rand(3, 16, 11, 13).lt(density).to(ScalarType.Float32);
        using var cl = ChannelsLast.From(spikes);
        using var _ = inference_mode();
        conv.Mode = SpikeConvolution.Dense;
        using var dense = conv.call(spikes);
        conv.Mode = SpikeConvolution.EventDriven;
        using var events = conv.call(cl);
        Assert.True(conv.LastCallEventDriven);
        Assert.True(ChannelsLast.Is(events));
        using var diff = (events - dense).abs().max();
        using var scale = dense.abs().max();
        Assert.True(diff.item<float>() <= 1e-5f * scale.item<float>(), $"max difference {diff.item<float>():E2}");
    }

    [Fact]
    public void Hybrid_inference_on_channels_last_equals_the_contiguous_layout()
    {
        manual_seed(4);
        using var net = (ReSpikeNet)ModelRegistry.Create(new ReSpikeConfig { Name = "respike", NumClasses = 7, ImageSize = 64, Frames = 8, Stride = 4 });
        using var clip = randn([2, 8, 3, 64, 64]);
        net.eval();
        Tensor Logits(bool channelsLast)
        {
            net.ChannelsLastInference = channelsLast;
            using var _ = no_grad();
            return net.call(clip);
        }
        using var contiguous = Logits(false);
        using var channelsLast = Logits(true);
        using var diff = (channelsLast - contiguous).abs().max();
        using var scale = contiguous.abs().max();
        Assert.True(diff.item<float>() <= 1e-5f * scale.item<float>(), $"max logit difference {diff.item<float>():E2}");
    }
}
