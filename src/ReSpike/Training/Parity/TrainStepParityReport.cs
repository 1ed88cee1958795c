namespace ReSpike.Training.Parity;

/// <summary>
/// One training step of ours against the reference's (`respike_ref.py parity --train`): the loss, every
/// parameter's gradient, and every parameter and buffer after the SGD step.
/// </summary>
public sealed record TrainStepParityReport
{
    public required double Loss { get; init; }
    public required double ReferenceLoss { get; init; }
    /// <summary>|ours − ref| / |ref| of the loss.</summary>
    public double LossRelErr => Math.Abs(Loss - ReferenceLoss) / Math.Max(Math.Abs(ReferenceLoss), double.Epsilon);
    /// <summary>max |ours − ref| / max |ref| of the step's logits (not a pass criterion: the loss, gradients and tensors are).</summary>
    public required double LogitsRelErr { get; init; }
    /// <summary>Largest relative L2 error over the gradients whose reference is not all zeros.</summary>
    public double MaxGradRelErr => TensorComparison.MaxRelative(Gradients);
    /// <summary>Largest relative L2 error over the parameters and buffers after the step (reference not all zeros).</summary>
    public double MaxAfterRelErr => TensorComparison.MaxRelative(After);
    /// <summary>Names of the tensors with the largest gradient and after-step errors.</summary>
    public WorstTensors Worst => new(TensorComparison.Worst(Gradients), TensorComparison.Worst(After));
    public required IReadOnlyList<TensorComparison> Gradients { get; init; }
    public required IReadOnlyList<TensorComparison> After { get; init; }
    /// <summary>
    /// LIF sites within float32 rounding of the threshold that were decided as the reference's logits say (empty when
    /// the step matched as it was). Each moved that one input by under 1e-5.
    /// </summary>
    public required IReadOnlyList<ThresholdTie> ThresholdTies { get; init; }
    public required SgdSettings Sgd { get; init; }
    /// <summary>What ran on our side: the fused LIF kernel and the fusion recompute, as in real training.</summary>
    public required bool FusedLif { get; init; }
    public required bool FusionRecompute { get; init; }
    public required double Seconds { get; init; }

    public const double LossTolerance = 1e-5;

    public bool Ok => LossRelErr <= LossTolerance && Gradients.All(g => g.Ok) && After.All(a => a.Ok);

    /// <summary>The gradient and the after-step tensor with the largest error relative to its tolerance.</summary>
    public sealed record WorstTensors(string Grad, string After);

    /// <summary>The SGD hyper-parameters the step ran with (they must equal the reference run's).</summary>
    public sealed record SgdSettings(double Lr, double Momentum, double WeightDecay);
}
