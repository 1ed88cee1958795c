using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>
/// Temporal efficient training (Deng et al., "Temporal Efficient Training of Spiking Neural Network via Gradient
/// Re-weighting", ICLR 2022): L = (1 - lambda) * mean_t CE(O(t), y) + lambda * MSE(O, phi), every timestep's output
/// O(t) scored on its own, the MSE pulling all outputs towards phi. Lambda and phi are the authors' released defaults
/// (brain-intelligence-lab/temporal_efficient_training, main_training_parallel.py: --lamb 1e-3, --means 1.0).
/// </summary>
public static class TetLoss
{
    /// <summary>Weight of the MSE regulariser, lambda.</summary>
    public const double Lambda = 1e-3;

    /// <summary>The value every output is pulled towards, phi.</summary>
    public const double Phi = 1.0;

    /// <summary>Per-timestep logits [B, steps, classes] and labels [B] -> the scalar loss.</summary>
    public static Tensor Compute(Tensor perStep, Tensor labels, double lambda = Lambda, double phi = Phi)
    {
        if (perStep.dim() != 3 || perStep.shape[0] != labels.shape[0])
            throw new ArgumentException($"TET loss: expected per-timestep logits [B, steps, classes] for {labels.shape[0]} labels, got [{string.Join(", ", perStep.shape)}]");
        using var scope = torch.NewDisposeScope();
        long b = perStep.shape[0], steps = perStep.shape[1];
        // the mean over B*steps equals the mean over timesteps of each timestep's batch-mean cross-entropy
        var ce = nn.functional.cross_entropy(perStep.reshape(b * steps, -1), labels.repeat_interleave(steps));
        var mse = nn.functional.mse_loss(perStep, torch.full_like(perStep, phi));
        return ((1 - lambda) * ce + lambda * mse).MoveToOuterDisposeScope();
    }
}
