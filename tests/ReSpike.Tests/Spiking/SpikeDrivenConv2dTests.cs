using ReSpike.Models;
using ReSpike.Spiking;
using ReSpike.Spiking.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Spiking;

/// <summary>The event-driven convolution against libtorch's dense one, and when Auto picks which.</summary>
public class SpikeDrivenConv2dTests
{
    static Tensor RelativeError(Tensor expected, Tensor actual)
    {
        using var diff = (actual - expected).abs().max();
        using var scale = expected.abs().max();
        return diff / scale;
    }

    [Theory]
    [InlineData(5, 16, 12, 13, 24, 1, 0.1)]     // odd width (scalar tail), C_out a multiple of 8
    [InlineData(3, 8, 14, 14, 12, 2, 0.3)]      // stride 2, C_out with a SIMD tail
    [InlineData(2, 4, 9, 17, 3, 2, 0.05)]       // output narrower than one SIMD vector
    [InlineData(4, 32, 7, 7, 64, 1, 0.9)]       // nearly dense input
    public void Event_driven_spikes_equal_the_dense_convolution(int n, int cin, int h, int w, int cout, int stride, double density)
    {
        manual_seed(n * 100 + cin);
        using var conv = new SpikeDrivenConv2d(cin, cout, 3, stride, padding: 1);
        using var spikes = rand(n, cin, h, w).lt(density).to(ScalarType.Float32);
        using var _ = inference_mode();
        conv.Mode = SpikeConvolution.Dense;
        using var dense = conv.call(spikes);
        conv.Mode = SpikeConvolution.EventDriven;
        using var events = conv.call(spikes);
        Assert.True(conv.LastCallEventDriven);
        Assert.Equal(dense.shape, events.shape);
        using var rel = RelativeError(dense, events);
        Assert.True(rel.item<float>() < 1e-5f, $"relative error {rel.item<float>():E2}");
    }

    [Fact]
    public void Real_valued_sparse_inputs_and_a_bias_are_scaled_and_added_too()
    {
        manual_seed(3);
        using var conv = new SpikeDrivenConv2d(6, 10, 3, stride: 1, padding: 1, bias: true);
        using var mask = rand(2, 6, 8, 8).lt(0.2);
        using var values = randn(2, 6, 8, 8).mul(mask);
        using var _ = inference_mode();
        conv.Mode = SpikeConvolution.Dense;
        using var dense = conv.call(values);
        conv.Mode = SpikeConvolution.EventDriven;
        using var events = conv.call(values);
        using var rel = RelativeError(dense, events);
        Assert.True(rel.item<float>() < 1e-5f, $"relative error {rel.item<float>():E2}");
        // an all-zero input gives exactly the bias everywhere
        using var zeros = torch.zeros(1, 6, 5, 5);
        using var onlyBias = conv.call(zeros);
        TensorAssert.Equal(conv.bias!.detach().view(1, 10, 1, 1).expand(1, 10, 5, 5).contiguous(), onlyBias.contiguous());
    }

    [Fact]
    public void Auto_runs_event_driven_only_in_eval_without_a_gradient_and_when_the_cost_model_predicts_it_faster()
    {
        manual_seed(1);
        using var conv = new SpikeDrivenConv2d(32, 32, 3, 1, padding: 1);
        using var sparse = rand(2, 32, 24, 24).lt(0.01).to(ScalarType.Float32);
        using var dense = rand(2, 32, 24, 24).lt(0.9).to(ScalarType.Float32);

        using (conv.call(sparse)) Assert.False(conv.LastCallEventDriven);   // grad mode on, weight requires grad: training path
        using (no_grad())
        using (conv.call(sparse)) Assert.False(conv.LastCallEventDriven);   // training mode rounds as training, also without a gradient
        conv.eval();
        using (no_grad())
        {
            using (conv.call(sparse)) Assert.True(conv.LastCallEventDriven);
            using (conv.call(dense)) Assert.False(conv.LastCallEventDriven);
            using var doubles = sparse.to(ScalarType.Float64);
            Assert.Contains("not float32", conv.UnsupportedReason(doubles));
            Assert.Null(conv.UnsupportedReason(sparse));
        }
        conv.Mode = SpikeConvolution.EventDriven;
        var error = Assert.Throws<NotSupportedException>(() => conv.call(sparse));
        Assert.Contains("gradient is being recorded", error.Message);
    }

    [Fact]
    public void The_cost_model_prefers_events_for_sparse_input_and_dense_for_dense_input_or_heavy_weights()
    {
        var model = EventDrivenCostModel.Measured;
        // 24 x 64 x 28 x 28 -> 64, stride 1 (the bench's layer1): 694 M multiply-adds
        long input = 24L * 64 * 28 * 28, output = input, weights = 64L * 64 * 9;
        double dense = model.DenseNs(output, 64, 9);
        Assert.True(model.EventDrivenNs(input / 100, 64, 9, 1, input, output, weights) < dense);      // 1 % firing
        Assert.True(model.EventDrivenNs(input / 2, 64, 9, 1, input, output, weights) > dense);        // 50 % firing
        // a 12 x 512 x 2 x 2 layer (64 px clips): moving 2.4 M weights costs more than the whole dense convolution
        long small = 12L * 512 * 2 * 2;
        Assert.True(model.EventDrivenNs(0, 512, 9, 1, small, small, 512L * 512 * 9) > model.DenseNs(small, 512, 9));
    }

    [Fact]
    public void Parameters_and_initialisation_are_nn_Conv2ds()
    {
        manual_seed(42);
        using var ours = new SpikeDrivenConv2d(4, 6, 3, 2, padding: 1);
        manual_seed(42);
        using var reference = nn.Conv2d(4, 6, 3, stride: 2, padding: 1, bias: false);
        Assert.Equal(["weight"], ours.named_parameters().Select(p => p.name));
        TensorAssert.Equal(reference.weight, ours.weight);
    }

    [Fact]
    public void The_whole_network_at_inference_equals_its_dense_self()
    {
        var config = new ReSpikeConfig { Variant = ModelVariant.ReSpike, NumClasses = 5, Stride = 4, Frames = 8, ImageSize = 32 };
        manual_seed(5);
        using var net = ModelRegistry.Create(config);
        net.eval();
        using var clip = randn([2, 8, 3, 32, 32]).mul(3);
        using var _ = inference_mode();
        Functional.SetSpikeConvolution(net, SpikeConvolution.Dense);
        using var dense = net.call(clip);
        Functional.SetSpikeConvolution(net, SpikeConvolution.EventDriven);
        using var events = net.call(clip);
        var convs = net.modules().OfType<SpikeDrivenConv2d>().ToList();
        Assert.Equal(16, convs.Count);   // two per MS-ResNet block, eight blocks
        Assert.All(convs, c => Assert.True(c.LastCallEventDriven));
        using var rel = RelativeError(dense, events);
        Assert.True(rel.item<float>() < 1e-5f, $"relative error {rel.item<float>():E2}");
    }

    [Fact]
    public void Cached_weight_columns_follow_weights_changed_in_training_and_by_a_state_dict_load()
    {
        manual_seed(6);
        using var conv = new SpikeDrivenConv2d(8, 12, 3, 1, padding: 1) { Mode = SpikeConvolution.EventDriven };
        using var spikes = rand(2, 8, 9, 9).lt(0.2).to(ScalarType.Float32);
        void AssertMatchesDense(string when)
        {
            using var _ = inference_mode();
            using var events = conv.call(spikes);
            using var dense = nn.functional.conv2d(spikes, conv.weight, null, [1, 1], [1, 1]);
            using var rel = RelativeError(dense, events);
            Assert.True(rel.item<float>() < 1e-5f, $"{when}: relative error {rel.item<float>():E2}");
        }
        conv.eval();
        AssertMatchesDense("first call");
        // a training step changes the weights in place; the next eval() must not reuse the old columns
        conv.train();
        using (no_grad()) conv.weight.mul_(-2).add_(0.5);
        conv.eval();
        AssertMatchesDense("after training");
        // loading weights in eval mode (no mode switch) also drops them
        using var other = randn(12, 8, 3, 3);
        ReSpike.IO.StateDict.Load(conv, new Dictionary<string, Tensor> { ["weight"] = other });
        AssertMatchesDense("after a state-dict load");
    }
}
