using ReSpike.Data.Loading;
using ReSpike.Distributed;
using ReSpike.Models;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>What one averaged step did, over every rank.</summary>
/// <param name="Loss">Mean cross-entropy over the step's clips on all ranks.</param>
/// <param name="Correct">Clips the logits got right, all ranks.</param>
/// <param name="Clips">Clips in the step, all ranks.</param>
/// <param name="Updated">False when the loss was not finite on some rank: no rank changed its weights.</param>
/// <param name="StopRequested">Some rank was asked to stop (Ctrl-C): every rank stops after this step.</param>
/// <param name="CommunicationSeconds">Time in the step's collectives (gradient buckets and the step's totals).</param>
public sealed record DataParallelStepResult(double Loss, int Correct, int Clips, bool Updated, bool StopRequested, double CommunicationSeconds);

/// <summary>
/// One optimisation step over several micro-batches, on one or many ranks (gradient accumulation and data parallelism are the
/// same thing here): each local micro-batch runs forward and backward with its loss weighted by its clips, gradients accumulate,
/// the step's totals (loss, correct, clips, stop) and then the gradient buckets are summed over the ranks, gradients are divided
/// by the step's clips, and every rank takes the same optimizer step; under MPI the BatchNorm running statistics are then averaged. The result equals one batch of all those clips when the
/// model treats clips independently (BatchNorm frozen), and one process accumulating the same micro-batches otherwise.
/// </summary>
public sealed class DataParallelStep : IDisposable
{
    readonly VideoModel _net;
    readonly IOptimizer _optimizer;
    readonly IProcessGroup _group;
    readonly GradientBuckets _buckets;
    readonly GradientBuckets _statistics;
    readonly bool _segmentLoss;

    /// <param name="segmentLoss">Train with <see cref="TrainingStep.SegmentLoss"/> (--segment-loss).</param>
    public DataParallelStep(VideoModel net, IOptimizer optimizer, IProcessGroup group, bool segmentLoss = false)
    {
        _net = net;
        _segmentLoss = segmentLoss;
        _optimizer = optimizer;
        _group = group;
        _buckets = new GradientBuckets(NamedParameters.Trainable(net).Select(p => p.Parameter).ToList());
        _statistics = GradientBuckets.ForBuffers(net.buffers().Where(b => b.is_floating_point()).ToList());
    }

    /// <summary>Bytes of gradient each rank reduces per step.</summary>
    public long GradientBytes => _buckets.Bytes;

    /// <summary>Gradient buckets per step.</summary>
    public int Buckets => _buckets.Count;

    /// <param name="batches">This rank's micro-batches of the step (may be none at the end of an epoch).</param>
    /// <param name="where">Names the step in a timeout message, e.g. "epoch 2, step 7".</param>
    public DataParallelStepResult Run(IReadOnlyList<ClipBatch> batches, double learningRate, bool stop, string where)
    {
        _optimizer.ZeroGrad();
        _buckets.MaterialiseGradients();
        double lossSum = 0;
        int correct = 0, clips = 0;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var (logits, loss) = TrainingStep.Loss(_net, batch.Clips, batch.Labels, _segmentLoss);
            double value = loss.item<float>();
            lossSum += value * batch.Count;
            correct += (int)logits.argmax(-1).eq(batch.Labels).sum().item<long>();
            clips += batch.Count;
            // weighted by its clips: the sum over micro-batches and ranks, divided by all clips, is the mean over the step
            if (double.IsFinite(value)) (loss * batch.Count).backward();
        }
        double before = _group.CommunicationSeconds;
        var totals = new[] { lossSum, correct, clips, stop ? 1 : 0 };
        _group.AllreduceSum(totals, $"the step totals ({where})");
        var (globalLoss, globalCorrect, globalClips, stops) = (totals[0], (int)totals[1], (int)totals[2], totals[3] > 0);
        double mean = globalClips == 0 ? double.NaN : globalLoss / globalClips;
        // a NaN anywhere must reach no rank's weights: every rank sees the same totals and skips the update together
        if (globalClips > 0 && !double.IsFinite(mean)) return new(mean, globalCorrect, globalClips, Updated: false, stops, _group.CommunicationSeconds - before);
        if (globalClips > 0)
        {
            _buckets.AllreduceAndScale(_group, 1.0 / globalClips, $"the gradient allreduce ({where})");
            _optimizer.Step(learningRate);
        }
        // BatchNorm normalises with each rank's own batch (DDP without SyncBatchNorm); its running statistics are then averaged,
        // so every rank holds the same model after every step: rank 0's checkpoint is the job's state and evaluation agrees
        if (_group.Size > 1 && _statistics.Count > 0) _statistics.AllreduceAndScale(_group, 1.0 / _group.Size, $"the BatchNorm statistics ({where})");
        return new(mean, globalCorrect, globalClips, Updated: true, stops, _group.CommunicationSeconds - before);
    }

    public void Dispose()
    {
        _buckets.Dispose();
        _statistics.Dispose();
    }
}
