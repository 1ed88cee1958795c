using ReSpike.Energy;
using ReSpike.Models.Fusion;
using ReSpike.Models.Snn;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Energy;

public class OpCounterTests
{
    /// <summary>[1, 2, 4, 4] with exactly 8 ones among 32 elements: firing rate 1/4.</summary>
    static Tensor QuarterSpikes()
    {
        var values = new float[32];
        for (int i = 0; i < 32; i += 4) values[i] = 1;
        return torch.tensor(values).reshape(1, 2, 4, 4);
    }

    static LayerOps Single(OpCounter counter) => Assert.Single(counter.Layers);

    [Fact]
    public void Conv_on_spikes_costs_its_synaptic_ops_times_the_input_rate_as_accumulates()
    {
        using var conv = nn.Conv2d(2, 3, 3, padding: 1, bias: false);
        using var counter = new OpCounter(conv);
        using var spikes = QuarterSpikes();
        using (torch.no_grad()) { using var _ = conv.call(spikes); }
        var layer = Single(counter);
        // output 1x3x4x4 = 48 elements, each 2 x 3 x 3 = 18 multiply-adds -> 864 synaptic ops, a quarter happen
        Assert.Equal(OpKind.Conv, layer.Kind);
        Assert.Equal(864, layer.Ops);
        Assert.Equal(864, layer.SpikeOps);
        Assert.Equal(216, layer.Acs);
        Assert.Equal(0, layer.Macs);
        Assert.Equal(0.25, layer.InputFiringRate);
    }

    [Fact]
    public void Linear_on_real_input_costs_multiply_accumulates_including_the_bias()
    {
        using var linear = nn.Linear(5, 4);
        using var counter = new OpCounter(linear);
        torch.manual_seed(3);
        using var x = torch.randn(3, 5);
        using (torch.no_grad()) { using var _ = linear.call(x); }
        var layer = Single(counter);
        // 3 rows x 4 outputs x 5 inputs + 12 bias adds
        Assert.Equal(72, layer.Macs);
        Assert.Equal(0, layer.Acs);
        Assert.Null(layer.InputFiringRate);
    }

    [Fact]
    public void A_layer_fed_silent_spikes_costs_nothing()
    {
        using var lif = LIFNode.ReSpike(StepMode.Single);
        using var conv = nn.Conv2d(2, 3, 3, padding: 1, bias: false);
        using var net = nn.Sequential(("lif", lif), ("conv", conv));
        using var counter = new OpCounter(net);
        using var weak = torch.full([1, 2, 4, 4], 0.5f);   // 0.75 x 0.5 < threshold 1: no neuron fires
        using (torch.no_grad())
        {
            using var silent = lif.call(weak);
            using var _ = conv.call(silent);
        }
        var layer = Single(counter);
        Assert.Equal(864, layer.SpikeOps);
        Assert.Equal(0, layer.Acs);
        Assert.Equal(0, layer.Macs);
        Assert.Equal(0.0, layer.InputFiringRate);
        Assert.Equal(0, layer.Picojoules(EnergyModel.Fp32));
    }

    [Fact]
    public void An_all_zero_input_that_no_neuron_made_is_real_valued()
    {
        // e.g. BatchNorm after a conv whose input never spiked: its zeros are not spikes
        using var conv = nn.Conv2d(2, 3, 3, padding: 1, bias: false);
        using var counter = new OpCounter(conv);
        using var zeros = torch.zeros(1, 2, 4, 4);
        using (torch.no_grad()) { using var _ = conv.call(zeros); }
        var layer = Single(counter);
        Assert.Equal(864, layer.Macs);
        Assert.Equal(0, layer.SpikeOps);
        Assert.Null(layer.InputFiringRate);
    }

    [Fact]
    public void Norm_pool_and_upsample_rules()
    {
        using var net = nn.Sequential(
            ("bn", nn.BatchNorm2d(3)),
            ("max", nn.MaxPool2d(2)),
            ("up", nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Bilinear, align_corners: false)),
            ("gn", nn.GroupNorm(1, 3)),
            ("gap", nn.AdaptiveAvgPool2d(1)));
        net.eval();
        using var counter = new OpCounter(net);
        torch.manual_seed(4);
        using var x = torch.randn(2, 3, 4, 4);
        using (torch.no_grad()) { using var _ = net.call(x); }
        var macs = counter.Layers.ToDictionary(l => l.Name, l => l.Macs);
        var adds = counter.Layers.ToDictionary(l => l.Name, l => l.Adds);
        Assert.Equal((2 * 96.0, 0.0), (macs["bn"], adds["bn"]));      // eval: running statistics, scale and shift per element
        Assert.Equal((0.0, 24 * 4.0), (macs["max"], adds["max"]));    // 24 outputs, 2x2 window each: compares, no multiplier
        Assert.Equal((96 * 4.0, 0.0), (macs["up"], adds["up"]));      // 96 outputs, 4 bilinear taps each: multiply-adds
        Assert.Equal((3 * 96.0, 96.0), (macs["gn"], adds["gn"]));     // per-sample statistics (sum, sum of squares) + scale and shift
        Assert.Equal((0.0, 96.0), (macs["gap"], adds["gap"]));        // global pool adds each input once
        Assert.All(counter.Layers, l => Assert.Equal(l.Macs + l.Adds, l.Ops));

        // pooling and statistics cost an add each: 4.6 pJ per MAC, 0.9 pJ per add
        double pj = counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32));
        Assert.Equal((2 * 96 + 96 * 4 + 3 * 96) * 4.6 + (24 * 4 + 96 + 96) * 0.9, pj, 9);

        // in training BatchNorm measures the batch too
        net.train();
        counter.Reset();
        using (torch.no_grad()) { using var _ = net.call(x); }
        var bn = counter.Layers.Single(l => l.Name == "bn");
        Assert.Equal((3 * 96.0, 96.0), (bn.Macs, bn.Adds));
        Assert.Equal([OpKind.Norm, OpKind.Pool, OpKind.Upsample, OpKind.Norm, OpKind.Pool], counter.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void Attention_counts_both_products_and_the_context_projections_from_the_shapes_it_saw()
    {
        torch.manual_seed(5);
        using var attention = new Attention(64, 32);
        using var counter = new OpCounter(attention);
        using var x = torch.randn(2, 5, 64);          // 2 samples share 1 context
        using var context = torch.randn(1, 7, 32);
        using (torch.no_grad()) { using var _ = attention.call(x, context); }
        var ops = counter.Layers.ToDictionary(l => l.Name.Split('.', 2).Last(), l => l);
        Assert.Equal(2.0 * 5 * 7 * 64, ops["qk"].Macs);
        Assert.Equal(2.0 * 5 * 7 * 64, ops["av"].Macs);
        Assert.Equal(OpKind.AttentionMatmul, ops["qk"].Kind);
        Assert.Equal(2.0 * 5 * 64 * 64, ops["to_q"].Macs);
        Assert.Equal(1.0 * 7 * 32 * 64, ops["to_k"].Macs);   // once per context, not per query sample
        Assert.Equal(2.0 * 5 * 64 * 64 + 2 * 5 * 64, ops["to_out"].Macs);
    }

    [Fact]
    public void Disposing_removes_the_hooks()
    {
        using var conv = nn.Conv2d(2, 3, 3, padding: 1, bias: false);
        using var spikes = QuarterSpikes();
        var counter = new OpCounter(conv);
        Assert.Equal(1, counter.WatchedLayers);
        using (torch.no_grad()) { using var _ = conv.call(spikes); }
        counter.Dispose();
        using (torch.no_grad()) { using var _ = conv.call(spikes); }
        Assert.Equal(1, Single(counter).Calls);
        Assert.Equal(0, counter.WatchedLayers);
    }

    [Fact]
    public void A_module_registered_under_two_names_is_counted_once()
    {
        // SpikingShortcut registers pool/conv/bn as "0"/"1"/"2"; named_modules also lists the fields
        using var shortcut = new SpikingShortcut(4, 8, 2);
        shortcut.eval();
        using var counter = new OpCounter(shortcut);
        torch.manual_seed(6);
        using var x = torch.randn([3, 1, 4, 8, 8]);   // [T, N, C, H, W]
        using (torch.no_grad()) { using var _ = shortcut.call(x); }
        Assert.Equal(["0", "1", "2"], counter.Layers.Select(l => l.Name));
        Assert.Equal(3.0 * 8 * 4 * 4 * 4, counter.Layers[1].Macs);   // 1x1 conv 4->8 on 4x4, 3 timesteps
    }

    [Fact]
    public void Spike_detection_accepts_only_exact_zeros_and_ones()
    {
        using var spikes = QuarterSpikes();
        using var half = torch.full([2, 2], 0.5f);
        using var ints = torch.ones(2, 2, dtype: ScalarType.Int64);
        Assert.True(SpikeTensor.IsBinary(spikes));
        Assert.False(SpikeTensor.IsBinary(half));
        Assert.False(SpikeTensor.IsBinary(ints));
        Assert.Equal(8, SpikeTensor.Count(spikes));
    }

    [Fact]
    public void Counting_follows_the_time_folded_multi_step_layers()
    {
        // a LIF feeding a conv through TimeFolding, as in the SNN blocks: the conv sees [T*N, ...] spikes
        using var lif = LIFNode.ReSpike(StepMode.Multi);
        using var conv = nn.Conv2d(1, 1, 1, bias: false);
        using var counter = new OpCounter(conv);
        var drive = new float[] { 2, 0, 2, 0, 0, 0, 0, 0 };   // 2 of 8 neurons get 2.0 -> v = 1.5 -> spike every step
        using var x = torch.tensor(drive).reshape(1, 1, 1, 2, 4).expand(3, 1, 1, 2, 4).contiguous();
        using (torch.no_grad())
        {
            using var spikes = lif.call(x);
            using var _ = TimeFolding.Fold(conv, spikes);
        }
        var layer = Single(counter);
        Assert.Equal(24, layer.SpikeOps);    // 3 steps x 8 outputs x 1 input channel
        Assert.Equal(6, layer.Acs);          // rate 1/4
    }
}
