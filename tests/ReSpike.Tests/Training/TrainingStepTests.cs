using ReSpike.Models;
using ReSpike.Spiking;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Training;

public class TrainingStepTests
{
    static readonly ReSpikeConfig Tiny = new() { Variant = ModelVariant.ReSpike, NumClasses = 5, Stride = 2, Frames = 4, ImageSize = 32 };

    [Fact]
    public void A_step_releases_its_gradients_and_trains_exactly_as_zeroed_gradients_would()
    {
        manual_seed(11);
        using var released = new ReSpikeNet(Tiny);
        manual_seed(11);
        using var zeroed = new ReSpikeNet(Tiny);
        using var clip = randn([2, Tiny.Frames, 3, Tiny.ImageSize, Tiny.ImageSize]);
        using var labels = tensor(new long[] { 1, 3 });
        using var sgdReleased = new Sgd(released);
        using var sgdZeroed = new Sgd(zeroed);
        released.train();
        zeroed.train();
        for (int step = 0; step < 3; step++)
        {
            Assert.True(TrainingStep.Run(released, sgdReleased, clip, labels, 1e-2).Updated);
            Functional.ResetNet(released);
            // the old way: gradients kept between steps and zeroed in place before backward
            using (NewDisposeScope())
            {
                var (_, loss) = TrainingStep.Loss(zeroed, clip, labels, segmentLoss: false);
                sgdZeroed.ZeroGrad();
                loss.backward();
                sgdZeroed.Step(1e-2);
            }
            Functional.ResetNet(zeroed);
        }
        Assert.All(released.parameters(), p => Assert.Null(p.grad));
        Assert.Contains(zeroed.parameters(), p => p.grad is not null);
        var expected = zeroed.state_dict();
        foreach (var (name, tensor) in released.state_dict())
            TensorAssert.Equal(expected[name], tensor, name);
    }

    [Fact]
    public void Recomputing_the_spiking_layers_trains_the_whole_network_bit_identically()
    {
        manual_seed(12);
        using var plain = new ReSpikeNet(Tiny);
        manual_seed(12);
        using var recomputed = new ReSpikeNet(Tiny);
        Assert.Equal(4 * 2 + 1, Functional.SetRecomputeSpikeLayers(recomputed, true));   // 4 stages of 2 blocks, and the trunk for its stem
        using var clip = randn([2, Tiny.Frames, 3, Tiny.ImageSize, Tiny.ImageSize]);
        using var labels = tensor(new long[] { 0, 4 });
        using var sgdPlain = new Sgd(plain);
        using var sgdRecomputed = new Sgd(recomputed);
        plain.train();
        recomputed.train();
        for (int step = 0; step < 3; step++)
        {
            var a = TrainingStep.Run(plain, sgdPlain, clip, labels, 1e-2);
            var b = TrainingStep.Run(recomputed, sgdRecomputed, clip, labels, 1e-2);
            Assert.Equal(a.Loss, b.Loss);
            Functional.ResetNet(plain);
            Functional.ResetNet(recomputed);
        }
        var expected = plain.state_dict();   // weights, momentum-driven updates and BatchNorm statistics alike
        foreach (var (name, tensor) in recomputed.state_dict())
            TensorAssert.Equal(expected[name], tensor, name);
    }
}
