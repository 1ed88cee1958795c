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
    public static TrainingStepResult Run(VideoModel net, IOptimizer optimizer, Tensor clips, Tensor labels, double learningRate,
                                         Action? beforeUpdate = null, Action<Tensor>? inspectLogits = null)
    {
        using var scope = NewDisposeScope();
        var (logits, loss) = net.TrainingLoss(clips, labels);
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
        return new(value, correct, Updated: true);
    }
}
