namespace ReSpike.Models.Video3d;

/// <summary>
/// What tells torchvision's three 18-layer video ResNets apart: the stem and the convolution of each of the four
/// stages. Blocks per stage (2, 2, 2, 2), widths (64, 128, 256, 512) and strides (1, 2, 2, 2) are shared.
/// </summary>
/// <param name="Name">The --model name.</param>
/// <param name="FactorisedStem">R(2+1)D's stem (1x7x7 to 45 channels, then 3x1x1 to 64) instead of one 3x7x7 conv.</param>
/// <param name="StageConvs">The convolution of stages 1-4.</param>
public sealed record VideoResNetDesign(string Name, string Description, bool FactorisedStem, VideoConvKind[] StageConvs)
{
    public static IReadOnlyList<long> Widths { get; } = [64, 128, 256, 512];
    public static IReadOnlyList<int> BlocksPerStage { get; } = [2, 2, 2, 2];
    public static IReadOnlyList<long> StageStrides { get; } = [1, 2, 2, 2];

    /// <summary>torchvision r3d_18: 3x3x3 convolutions throughout.</summary>
    public static VideoResNetDesign R3D18 { get; } = new("r3d-18",
        "R3D-18 (torchvision r3d_18): 18-layer ResNet of 3x3x3 convolutions on the whole clip", false,
        [VideoConvKind.Full3d, VideoConvKind.Full3d, VideoConvKind.Full3d, VideoConvKind.Full3d]);

    /// <summary>torchvision mc3_18: 3D convolutions in the first stage, 2D (1x3x3) in the rest ("mixed convolutions").</summary>
    public static VideoResNetDesign MC318 { get; } = new("mc3-18",
        "MC3-18 (torchvision mc3_18): 3x3x3 convolutions in stage 1, spatial 1x3x3 ones in stages 2-4", false,
        [VideoConvKind.Full3d, VideoConvKind.Spatial, VideoConvKind.Spatial, VideoConvKind.Spatial]);

    /// <summary>torchvision r2plus1d_18: every 3D convolution factorised into spatial 1x3x3 then temporal 3x1x1.</summary>
    public static VideoResNetDesign R2Plus1D18 { get; } = new("r2plus1d-18",
        "R(2+1)D-18 (torchvision r2plus1d_18): every 3D convolution split into a spatial and a temporal one", true,
        [VideoConvKind.Factorised, VideoConvKind.Factorised, VideoConvKind.Factorised, VideoConvKind.Factorised]);

    public static IReadOnlyList<VideoResNetDesign> All { get; } = [R3D18, MC318, R2Plus1D18];

    /// <summary>The design registered as <paramref name="name"/>.</summary>
    public static VideoResNetDesign Named(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"--model: '{name}' is not a video ResNet ({string.Join(", ", All.Select(d => d.Name))})");
}
