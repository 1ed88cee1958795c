using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// BatchNorm2d shared over timesteps: [T, B, C, H, W] is normalised as one batch of T*B samples (training statistics
/// over all timesteps together, as SpikingJelly's seq_to_ann_forward). The inner module is <c>bn</c>, so names read
/// <c>norm.bn.weight</c> as in the official code.
/// </summary>
public sealed class SequenceBatchNorm : nn.Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn;

    public SequenceBatchNorm(long channels) : base(nameof(SequenceBatchNorm))
    {
        bn = nn.BatchNorm2d(channels, eps: 1e-5, momentum: 0.1);
        register_module("bn", bn);
    }

    /// <summary>The shared BatchNorm2d.</summary>
    public BatchNorm2d Inner => bn;

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 5) throw new ArgumentException($"expected [T, B, C, H, W], got {x.dim()} dimensions");
        return TimeFolding.Fold(bn, x);
    }
}
