using ReSpike.Models;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>The loss, and how many clips the logits got right, of one optimisation step.</summary>
/// <param name="Updated">False when the loss was not finite: nothing was back-propagated and the weights are untouched.</param>
public sealed record TrainingStepResult(double Loss, int Correct, bool Updated);

/// <summary>
/// One optimisation step exactly as the reference trains (spec §6): forward in train mode, the model's loss (cross-entropy on the
/// segment-averaged logits, <see cref="VideoModel.TrainingLoss"/>), backward, optimizer step. The trainer and `respike parity --train` both run this,
/// so the parity check proves the code that trains.
/// </summary>
public static class TrainingStep
{
    /// <param name="beforeUpdate">Called after backward and before the optimizer changes anything (gradients are in .grad).</param>
    /// <param name="inspectLogits">Sees the step's logits (detached; valid during the call only).</param>
    /// <param name="segmentLoss">Use <see cref="SegmentLoss"/> instead of the clip loss (--segment-loss; segmented models only).</param>
    public static TrainingStepResult Run(VideoModel net, IOptimizer optimizer, Tensor clips, Tensor labels, double learningRate,
                                         Action? beforeUpdate = null, Action<Tensor>? inspectLogits = null, bool segmentLoss = false)
    {
        using var scope = NewDisposeScope();
        var (logits, loss) = Loss(net, clips, labels, segmentLoss);
        inspectLogits?.Invoke(logits.detach());
        // float64 in the parity checks that need it (video ResNets' train step), float32 in training
        double value = loss.dtype == ScalarType.Float64 ? loss.item<double>() : loss.item<float>();
        int correct = (int)logits.argmax(-1).eq(labels).sum().item<long>();
        // a NaN loss must not reach the weights: the caller stops with the last good checkpoint intact
        if (!double.IsFinite(value)) return new(value, correct, Updated: false);
        optimizer.ZeroGrad();
        loss.backward();
        beforeUpdate?.Invoke();
        optimizer.Step(learningRate);
        optimizer.ReleaseGradients();
        return new(value, correct, Updated: true);
    }

    /// <summary>
    /// The training forward of one batch: (the clip logits, the loss) — the model's own training loss (cross-entropy, or
    /// TET for tet-resnet18), or <see cref="SegmentLoss"/> with --segment-loss.
    /// </summary>
    public static (Tensor Logits, Tensor Loss) Loss(VideoModel net, Tensor clips, Tensor labels, bool segmentLoss)
    {
        if (!segmentLoss) return net.TrainingLoss(clips, labels);
        var segmented = ISegmentedModel.Require(net, "--segment-loss");
        return SegmentLoss(segmented.SegmentLogits(clips), labels);
    }

    /// <summary>
    /// TET-style loss for early exit: the mean over k = 1..K of the cross-entropy of the running mean of the first k
    /// segments' logits, so that a prediction stopped after any segment is trained, not only the full clip's.
    /// segmentLogits [B, K, classes] → (the clip logits [B, classes] = the k = K running mean, the loss).
    /// </summary>
    public static (Tensor Logits, Tensor Loss) SegmentLoss(Tensor segmentLogits, Tensor labels)
    {
        long b = segmentLogits.shape[0], k = segmentLogits.shape[1];
        var counts = torch.arange(1, k + 1, dtype: segmentLogits.dtype, device: segmentLogits.device).view(1, k, 1);
        var running = segmentLogits.cumsum(1) / counts;
        var loss = nn.functional.cross_entropy(running.flatten(0, 1), labels.repeat_interleave(k));
        return (running.select(1, k - 1), loss);
    }
}
