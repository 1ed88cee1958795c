using ReSpike.Autograd;
using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>The spiking trunks' conv -> per-timestep BatchNorm on [T, N, C, H, W] (spikes, or the stem's frames), optionally recomputed in backward.</summary>
static class SpikeConvBatchNorm
{
    /// <summary>
    /// BN(conv(spikes)); with <paramref name="recompute"/> and a gradient being recorded in training, only the spikes are kept
    /// (one byte each) and the pair runs again in backward (<see cref="RecomputeFromSpikes"/>).
    /// </summary>
    public static Tensor Run(nn.Module<Tensor, Tensor> conv, BatchNorm2d bn, Tensor spikes, bool recompute)
    {
        Tensor Layer(Tensor s)
        {
            // the convolution's output handle goes now: BatchNorm's graph keeps what backward needs, and at inference
            // nothing holds it past this layer (no waiting for the caller's dispose scope)
            using var convolved = TimeFolding.Fold(conv, s);
            return TimeFolding.PerTimestep(bn, convolved);
        }
        return recompute && bn.training && is_grad_enabled() ? RecomputeFromSpikes.Run(Layer, bn, spikes) : Layer(spikes);
    }
}
