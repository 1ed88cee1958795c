using ReSpike.Autograd;
using ReSpike.Models.Snn;
using ReSpike.Spiking;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Autograd;

/// <summary>
/// Spiking layers recomputed in backward from their stored spikes (--recompute-spike-layers) must train exactly as the plain
/// layers: same outputs, same gradients, BatchNorm statistics updated once per forward.
/// </summary>
public class RecomputeFromSpikesTests
{
    sealed record Pass(float[] Output, float[] InputGrad, Dictionary<string, float[]> Grads, Dictionary<string, float[]> Buffers);

    static Pass Run(nn.Module<Tensor, Tensor> block, Tensor x, Tensor weights, bool recompute)
    {
        Functional.SetRecomputeSpikeLayers(block, recompute);
        block.zero_grad();
        Functional.ResetNet(block);
        using var scope = torch.NewDisposeScope();
        var input = x.detach().requires_grad_(true);
        var y = block.call(input);
        (y * weights).sum().backward();
        return new Pass(y.detach().data<float>().ToArray(), input.grad!.data<float>().ToArray(),
                        block.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()),
                        block.named_buffers().ToDictionary(b => b.name, b => b.buffer.to_type(ScalarType.Float32).data<float>().ToArray()));
    }

    static Dictionary<string, Tensor> Snapshot(nn.Module module) => module.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());

    static void Restore(nn.Module module, Dictionary<string, Tensor> saved)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, buffer) in module.named_buffers()) buffer.copy_(saved[name]);
    }

    public static TheoryData<string> Blocks => new() { "ms-resnet", "ms-resnet-strided", "spike-after-add-strided" };

    static nn.Module<Tensor, Tensor> Block(string kind) => kind switch
    {
        "ms-resnet" => new SpikingBasicBlock(16, 16, 1),
        "ms-resnet-strided" => new SpikingBasicBlock(8, 16, 2),
        _ => new SpikeAfterAddBlock(8, 16, 2),
    };

    [Theory, MemberData(nameof(Blocks))]
    public void Recomputed_block_trains_bit_identically(string kind)
    {
        torch.manual_seed(11);
        using var block = Block(kind);
        block.train();
        long channels = kind == "ms-resnet" ? 16 : 8;
        // spike-after-add blocks take spikes; membrane-shortcut blocks take real values and make their own spikes
        using var x = kind.StartsWith("spike-after-add") ? torch.rand([3, 2, channels, 12, 12]).lt(0.3).to_type(ScalarType.Float32)
                                                         : torch.randn([3, 2, channels, 12, 12]) * 2;
        long size = kind == "ms-resnet" ? 12 : 6;
        using var weights = torch.randn([3, 2, 16, size, size]);
        var initial = Snapshot(block);

        Restore(block, initial);
        var plain = Run(block, x, weights, recompute: false);
        Restore(block, initial);
        var recomputed = Run(block, x, weights, recompute: true);

        Assert.Equal(plain.Output, recomputed.Output);
        Assert.Equal(plain.InputGrad, recomputed.InputGrad);
        Assert.Equal(plain.Grads.Keys.Order(), recomputed.Grads.Keys.Order());
        foreach (var (name, grad) in plain.Grads) Assert.Equal(grad, recomputed.Grads[name]);
        // running statistics and batch counts moved exactly as in one plain forward (the re-run in backward restored them)
        foreach (var (name, buffer) in plain.Buffers) Assert.Equal(buffer, recomputed.Buffers[name]);
        Assert.Contains(plain.Buffers, b => b.Key.EndsWith("num_batches_tracked") && b.Value[0] > 0);
        foreach (var t in initial.Values) t.Dispose();
    }

    [Fact]
    public void Only_training_forwards_with_a_gradient_are_recomputed()
    {
        torch.manual_seed(2);
        using var block = new SpikingBasicBlock(8, 8, 1);
        Functional.SetRecomputeSpikeLayers(block, true);
        var convs = block.modules().OfType<ReSpike.Spiking.Layers.SpikeDrivenConv2d>().ToList();
        int calls = 0, reruns = 0;
        foreach (var conv in convs)
            conv.register_forward_hook((_, _, y) => { calls++; if (Recomputation.InProgress) reruns++; return y; });
        using var x = torch.randn([2, 2, 8, 6, 6]).requires_grad_(true);

        (int Calls, int Reruns) ForwardBackward(bool training)
        {
            (calls, reruns) = (0, 0);
            block.train(training);
            Functional.ResetNet(block);
            using var scope = torch.NewDisposeScope();
            block.call(x).sum().backward();
            return (calls, reruns);
        }

        Assert.Equal((4, 2), ForwardBackward(training: true));    // both convolutions again in backward, marked as re-runs
        Assert.Equal((2, 0), ForwardBackward(training: false));   // eval: running statistics, nothing to save memory on
        Functional.SetRecomputeSpikeLayers(block, false);
        Assert.Equal((2, 0), ForwardBackward(training: true));
    }

    [Fact]
    public void Binary_inputs_are_stored_as_one_byte_per_spike_in_their_layout()
    {
        using var dense = torch.rand([4, 8, 5, 5]).lt(0.2).to_type(ScalarType.Float32);
        using var spikes = ReSpike.Runtime.ChannelsLast.From(dense);
        using var stored = SpikeStorage.Compact(spikes);
        Assert.Equal(ScalarType.Bool, stored.dtype);
        using var restored = SpikeStorage.Restore(stored, ScalarType.Float32);
        Assert.Equal(spikes.stride(), restored.stride());   // channels-last stays channels-last: the re-run takes the same kernels
        Assert.Equal(spikes.data<float>().ToArray(), restored.data<float>().ToArray());
    }

    [Fact]
    public void Real_valued_inputs_are_stored_as_they_are()
    {
        using var values = torch.tensor(new float[] { 0, 1, 0.5f, 2, -1, 0 }).view(1, 1, 2, 3);
        using var stored = SpikeStorage.Compact(values);
        Assert.Equal(ScalarType.Float32, stored.dtype);
        using var restored = SpikeStorage.Restore(stored, ScalarType.Float32);
        Assert.Equal(new float[] { 0, 1, 0.5f, 2, -1, 0 }, restored.data<float>().ToArray());
    }
}
