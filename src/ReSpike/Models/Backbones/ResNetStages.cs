namespace ReSpike.Models.Backbones;

/// <summary>
/// The four-stage ResNet layout shared by the ANN trunk, the spiking branch and the fusion grid: base widths
/// and output strides of layer1..layer4. Everything that needs a stage's channels or resolution reads it here.
/// </summary>
public static class ResNetStages
{
    /// <summary>Number of stages (layer1..layer4).</summary>
    public const int Count = 4;

    /// <summary>Base widths (planes) of layer1..layer4; a bottleneck trunk multiplies them by its expansion.</summary>
    public static IReadOnlyList<long> Widths { get; } = [64, 128, 256, 512];

    /// <summary>Output stride of layer1..layer4 relative to the input frame.</summary>
    public static IReadOnlyList<int> OutputStrides { get; } = [4, 8, 16, 32];

    /// <summary>The stage whose grid the pooled fusion runs on (stride 16); earlier stages are pooled down to it.</summary>
    public const int FusionGridStage = 2;

    /// <summary>Frame sides must be multiples of this: the pooled fusion grid's stride.</summary>
    public static int InputMultiple => OutputStrides[FusionGridStage];

    /// <summary>Output channels of layer1..layer4 for a block expansion (1 basic, 4 bottleneck).</summary>
    public static long[] Channels(long expansion) => Widths.Select(w => w * expansion).ToArray();

    /// <summary>Stride of a stage's first block, given the stride its input already has (the stem's for stage 0).</summary>
    public static int FirstBlockStride(int stage, int stemStride) =>
        OutputStrides[stage] / (stage == 0 ? stemStride : OutputStrides[stage - 1]);

    /// <summary>Average-pool factor that brings stage <paramref name="stage"/> onto the pooled fusion grid (1 at or past it).</summary>
    public static int PoolFactorToFusionGrid(int stage) => Math.Max(1, OutputStrides[FusionGridStage] / OutputStrides[stage]);
}
