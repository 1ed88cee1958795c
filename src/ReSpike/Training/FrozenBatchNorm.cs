using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>
/// BatchNorm layers held in eval mode during training (freeze_batch_norm, --freeze-bn): they normalise with their running
/// statistics and do not update them, so a clip's output no longer depends on the other clips of its batch. Their affine
/// weights still train. Fine-tuning from pretrained weights with small per-rank batches is the usual reason; it also makes
/// one batch of b clips and two ranks of b/2 compute the same step.
/// </summary>
public static class FrozenBatchNorm
{
    /// <summary>Puts every BatchNorm1d/2d/3d of <paramref name="model"/> in eval mode; returns how many there are.</summary>
    public static int Apply(nn.Module model)
    {
        int frozen = 0;
        foreach (var module in model.modules())
            if (module is BatchNorm1d or BatchNorm2d or BatchNorm3d)
            {
                module.eval();
                frozen++;
            }
        return frozen;
    }
}
