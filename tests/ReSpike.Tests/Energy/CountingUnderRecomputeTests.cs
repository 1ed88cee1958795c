using ReSpike.Autograd;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Tests.Energy;

/// <summary>
/// A block recomputed in backward runs its forward a second time; op counts and firing rates must still count
/// each forward of the network once.
/// </summary>
public class CountingUnderRecomputeTests
{
    /// <summary>Forward hook that counts every call of a layer, split by whether a recompute was running.</summary>
    sealed class RawCalls : IDisposable
    {
        readonly Action remove;
        public int Forward, Recomputed;

        public RawCalls(nn.Module<Tensor, Tensor> layer)
        {
            var hook = layer.register_forward_hook((m, x, y) =>
            {
                if (Recomputation.InProgress) Recomputed++; else Forward++;
                return y;
            });
            remove = hook.remove;
        }

        public void Dispose() => remove();
    }

    [Fact]
    public void Hooks_skip_the_rerun_of_a_recomputed_block()
    {
        torch.manual_seed(3);
        using var net = nn.Sequential(("fc", nn.Linear(4, 4)), ("lif", LIFNode.ReSpike(StepMode.Multi)));
        var fc = (Linear)net.named_modules().Single(m => m.name == "fc").module;
        using var raw = new RawCalls(fc);
        using var counter = new OpCounter(net);
        using var monitor = new FiringRateMonitor(net);
        using var x = (torch.randn([2, 3, 4]) * 3).requires_grad_(true);   // [T=2, N=3, 4]: some neurons fire
        using var context = torch.zeros([4]);
        // the block resets its neuron so the re-run starts from the same state (no state carried over)
        Tensor Block(Tensor input, Tensor c)
        {
            Functional.ResetNet(net);
            return net.call(input + c);
        }

        using (var y = RecomputeInBackward.Run(Block, x, context))
        using (var loss = y.sum())
            loss.backward();

        Assert.Equal((1, 1), (raw.Forward, raw.Recomputed));   // the re-run happened, marked
        Assert.NotNull(x.grad);
        var layer = Assert.Single(counter.Layers);
        Assert.Equal(1, layer.Calls);
        Assert.Equal(2 * 3 * 4 * 4 + 2 * 3 * 4, layer.Macs);   // one forward: 24 outputs x 4 inputs + bias
        var rate = Assert.Single(monitor.Snapshot().Layers);
        Assert.Equal(1, rate.Calls);
        Assert.Equal(24, rate.NeuronSteps);
        Assert.False(Recomputation.InProgress);
    }

    static (IReadOnlyList<LayerOps> Ops, FiringRates Rates, int Recomputed) TrainStep(ReSpikeNet net, Tensor clip, Tensor labels, bool recompute, bool backward)
    {
        net.RecomputeFusionInBackward = recompute;
        net.zero_grad();
        var probe = (nn.Module<Tensor, Tensor>)net.named_modules().Single(m => m.name == "fusions.1.ff_in").module;
        using var raw = new RawCalls(probe);
        using var counter = new OpCounter(net);
        using var monitor = new FiringRateMonitor(net);
        using (torch.NewDisposeScope())
        {
            var logits = net.call(clip);
            if (backward) nn.functional.cross_entropy(logits, labels).backward();
        }
        return (counter.Layers, monitor.Snapshot(), raw.Recomputed);
    }

    [Fact]
    public void Training_with_fusion_recompute_counts_each_layer_like_one_plain_forward()
    {
        var config = new ReSpikeConfig { Variant = ModelVariant.ReSpike, Backbone = "resnet18", NumClasses = 3, Stride = 2, Frames = 4, ImageSize = 32 };
        torch.manual_seed(21);
        using var net = new ReSpikeNet(config);
        net.train();   // batch statistics: the running-stat updates of one pass do not change the next pass's output
        using var clip = torch.randn([2, 4, 3, 32, 32]) * 4;   // strong residuals so the spiking layers fire
        using var labels = torch.tensor(new long[] { 0, 2 });

        var trained = TrainStep(net, clip, labels, recompute: true, backward: true);
        var plain = TrainStep(net, clip, labels, recompute: false, backward: false);

        Assert.True(trained.Recomputed > 0, "the fusion was not recomputed in backward: the test would prove nothing");
        Assert.Equal(0, plain.Recomputed);
        Assert.Equal(plain.Ops.Select(l => l.Name), trained.Ops.Select(l => l.Name));
        foreach (var (want, got) in plain.Ops.Zip(trained.Ops))
        {
            Assert.True(want == got, $"{want.Name}: with recompute {got}, plain forward {want}");
        }
        // each fusion layer runs once per forward (all timesteps and segments in one batch)
        Assert.All(plain.Ops.Where(l => l.Name.StartsWith("fusions.")), l => Assert.Equal(1, l.Calls));
        Assert.Contains(plain.Ops, l => l.SpikeDriven && l.Acs > 0);

        Assert.Equal(16, plain.Rates.Layers.Count);
        Assert.Equal(plain.Rates.Layers, trained.Rates.Layers);
        Assert.True(plain.Rates.Overall > 0, "no spikes: the firing rates compare nothing");
    }
}
