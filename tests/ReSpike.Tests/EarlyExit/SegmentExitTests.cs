using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.EarlyExit;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Tests.Training;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.EarlyExit;

public class SegmentExitTests
{
    static ReSpikeNet TinyNet(int frames = 8, int stride = 2)
    {
        torch.manual_seed(11);
        var net = new ReSpikeNet(new ReSpikeConfig { Stride = stride, Frames = frames, ImageSize = 32, NumClasses = 4 });
        net.eval();
        return net;
    }

    static Tensor Clips(int batch, int frames)
    {
        using var g = new Generator(3);
        return torch.randn([batch, frames, 3, 32, 32], generator: g);
    }

    [Fact]
    public void Tau_one_runs_every_segment_and_gives_the_full_models_logits()
    {
        using var net = TinyNet();
        using var clips = Clips(3, 8);
        using var noGrad = torch.no_grad();
        using var full = net.call(clips);
        using var result = new SegmentExit(1.0).Run(net, clips);
        Assert.Equal([4, 4, 4], result.SegmentsUsed);
        Assert.Equal(4, result.Segments);
        Assert.True(full.allclose(result.Logits, rtol: 1e-4, atol: 1e-5), "running the segments one by one changed the logits");
    }

    [Fact]
    public void A_threshold_below_chance_stops_after_the_first_segment_and_skips_the_rest_of_the_work()
    {
        using var net = TinyNet();
        using var clips = Clips(2, 8);
        using var noGrad = torch.no_grad();
        using var firstSegment = net.SegmentLogits(clips).select(1, 0);

        double fullMj, exitMj;
        using (var counter = new OpCounter(net))
        {
            using var _ = new SegmentExit(1.0).Run(net, clips);
            fullMj = counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32));
        }
        ExitResult early;
        using (var counter = new OpCounter(net))
        {
            // any softmax over 4 classes has a maximum above 0.2: every clip is sure after one segment
            early = new SegmentExit(0.2).Run(net, clips);
            exitMj = counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32));
        }
        using (early)
        {
            Assert.Equal([1, 1], early.SegmentsUsed);
            Assert.True(firstSegment.allclose(early.Logits, rtol: 1e-4, atol: 1e-5));
        }
        // one segment of four: a quarter of the ANN, SNN and fusion work (firing rates vary a little per segment)
        Assert.InRange(exitMj / fullMj, 0.2, 0.3);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void A_threshold_outside_zero_to_one_is_refused_naming_the_flag(double tau)
    {
        var e = Assert.Throws<ArgumentException>(() => new SegmentExit(tau));
        Assert.Contains("--exit-threshold", e.Message);
    }

    [Fact]
    public void A_model_without_segments_is_refused()
    {
        torch.manual_seed(1);
        using var net = ModelRegistry.Create(new ReSpikeConfig { Name = "r3d-18", Stride = 1, Frames = 4, ImageSize = 32, NumClasses = 3 });
        using var clips = Clips(1, 4);
        var e = Assert.Throws<ArgumentException>(() => new SegmentExit(0.9).Run(net, clips));
        Assert.Contains("no key-frame segments", e.Message);
    }

    [Theory]
    [InlineData("ms-resnet18")]   // SNN on RGB frames: one LIF sequence over the whole clip
    [InlineData("ann-all")]       // ANN on every frame: several votes per segment
    public void A_routing_whose_segments_are_not_independent_is_refused(string model)
    {
        torch.manual_seed(1);
        using var net = ModelRegistry.Create(new ReSpikeConfig { Name = model, Stride = 2, Frames = 4, ImageSize = 32, NumClasses = 3 });
        Assert.False(((ISegmentedModel)net).SegmentsIndependent);
        using var clips = Clips(1, 4);
        var e = Assert.Throws<ArgumentException>(() => new SegmentExit(0.9).Run(net, clips));
        Assert.Contains($"model '{model}' does not run its key-frame segments independently", e.Message);
        var loss = Assert.Throws<ArgumentException>(() => TrainingStep.Loss(net, clips, torch.zeros(1, dtype: ScalarType.Int64), segmentLoss: true));
        Assert.StartsWith("--segment-loss:", loss.Message);
    }

    [Fact]
    public void Eval_with_exit_reports_segments_and_energy_and_the_sweep_replays_it_exactly()
    {
        var options = TinyRuns.Options(videosPerClass: 2) with { Model = new ReSpikeConfig { Stride = 2, Frames = 8, ImageSize = 32, NumClasses = 6 } };
        var (dataset, reader) = (options.Data with { SyntheticFrames = 8 }).Open(DatasetSubset.Test);
        var indexed = IndexedDataset.Build(dataset, reader);
        torch.manual_seed(3);
        using var net = new ReSpikeNet(options.Model);
        var protocol = new EvaluationProtocol();

        var full = Evaluator.Run(net, indexed, batchSize: 4, protocol: protocol, exit: new SegmentExit(1.0));
        var plain = Evaluator.Run(net, indexed, batchSize: 4, protocol: protocol);
        Assert.Equal(4.0, full.MeanSegments);
        Assert.Equal(plain.ClipTop1, full.ClipTop1);
        Assert.Null(plain.EnergyMj);

        var sweep = ExitSweep.Run(net, "tiny", indexed, protocol, [0.1, 0.3], batchSize: 4);
        Assert.Equal([0.1, 0.3, 1.0], sweep.Select(p => p.Threshold));
        foreach (var point in sweep)
        {
            var eval = Evaluator.Run(net, indexed, batchSize: 4, protocol: protocol, exit: new SegmentExit(point.Threshold));
            Assert.Equal(eval.ClipTop1, point.ClipTop1);
            Assert.Equal(eval.VideoTop1, point.VideoTop1);
            Assert.Equal(eval.MeanSegments!.Value, point.MeanSegments, 12);
            Assert.Equal(eval.EnergyMj!.Value, point.EnergyMj, eval.EnergyMj.Value * 0.02);
        }
        Assert.Equal(1.0, sweep[0].MeanSegments);               // below chance (1/6): one segment per clip
        Assert.True(sweep[0].EnergyMj < 0.3 * sweep[^1].EnergyMj, $"{sweep[0].EnergyMj} mJ after one segment vs {sweep[^1].EnergyMj} mJ for four");
    }

    [Fact]
    public void Segment_loss_is_the_mean_cross_entropy_of_the_running_means()
    {
        using var logits = torch.tensor(new float[] { 2, 0, 0, 0, 4, 1, /* clip 2 */ 0, 1, 3, 0, 0, 0 }).view(2, 2, 3);
        using var labels = torch.tensor(new long[] { 0, 2 });
        var (clip, loss) = TrainingStep.SegmentLoss(logits, labels);
        static double Ce(double[] z, int y) => -(z[y] - Math.Log(z.Sum(Math.Exp)));
        double expected = (Ce([2, 0, 0], 0) + Ce([1, 2, 0.5], 0) + Ce([0, 1, 3], 2) + Ce([0, 0.5, 1.5], 2)) / 4;
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Equal(new float[] { 1, 2, 0.5f, 0, 0.5f, 1.5f }, clip.data<float>().ToArray());
    }

    [Fact]
    public void Segment_loss_trains_a_step_and_is_refused_for_models_without_segments()
    {
        using var net = TinyNet(frames: 4);
        net.train();
        using var sgd = OptimizerRegistry.Optimizers.Get("sgd").Create(net, 0.9, 1e-4);
        using var clips = Clips(2, 4);
        using var labels = torch.tensor(new long[] { 1, 3 });
        var step = TrainingStep.Run(net, sgd, clips, labels, 1e-3, segmentLoss: true);
        Assert.True(step.Updated);
        Assert.True(double.IsFinite(step.Loss) && step.Loss > 0);

        var options = TinyRuns.Options() with { Model = new ReSpikeConfig { Name = "r3d-18", Stride = 1, Frames = 4, ImageSize = 32, NumClasses = 6 }, SegmentLoss = true };
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Contains("--segment-loss", e.Message);
    }
}
