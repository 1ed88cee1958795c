using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Fusion;

/// <summary>
/// Moves one stage's features onto the grid its fusion block runs on and back. Pooled mode (the reference's
/// --downsample): stages 1-2 are average-pooled by <see cref="Factor"/> to the stage-3 grid (SNN features and
/// the key frame's ANN context alike) and the fused map is upsampled back bilinearly (align_corners false).
/// Factor 1 passes tensors through. Parameterless, but the resampling runs in registered modules so forward
/// hooks (op counters) see it.
/// </summary>
public sealed class FusionGrid : nn.Module
{
    readonly AvgPool2d? token_pool, context_pool;
    readonly Upsample? upsample;

    public FusionGrid(int factor) : base(nameof(FusionGrid))
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "pool factor must be >= 1");
        Factor = factor;
        if (factor > 1)
        {
            token_pool = nn.AvgPool2d(factor);
            context_pool = nn.AvgPool2d(factor);
            // size is a whole multiple of the pooled grid, so scale_factor gives the same sampling as size=
            upsample = nn.Upsample(scale_factor: [factor, factor], mode: UpsampleMode.Bilinear, align_corners: false);
        }
        RegisterComponents();
    }

    public int Factor { get; }

    /// <summary>SNN features [M, C, H, W] -> the fusion grid [M, C, H/f, W/f].</summary>
    public Tensor Down(Tensor features) => token_pool is null ? features.alias() : token_pool.call(features);

    /// <summary>ANN stage features [N, Ca, H, W] -> context tokens [N, (H/f)(W/f), Ca].</summary>
    public Tensor Context(Tensor annFeatures)
    {
        using var pooled = context_pool is null ? annFeatures.alias() : context_pool.call(annFeatures);
        using var flat = pooled.flatten(2);
        return flat.transpose(1, 2);
    }

    /// <summary>Fused map on the grid [M, C, H/f, W/f] -> back to [M, C, H, W].</summary>
    public Tensor Up(Tensor fused) => upsample is null ? fused.alias() : upsample.call(fused);
}
