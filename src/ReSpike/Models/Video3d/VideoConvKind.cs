using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// How a video ResNet block convolves space-time (Tran et al. 2018, "A Closer Look at Spatiotemporal Convolutions"):
/// the three choices behind torchvision's Conv3DSimple, Conv3DNoTemporal and Conv2Plus1D.
/// </summary>
public enum VideoConvKind
{
    /// <summary>Full 3x3x3 convolution (R3D; MC3's first stage).</summary>
    Full3d,
    /// <summary>Spatial 1x3x3 convolution only, no temporal extent (MC3's stages 2-4).</summary>
    Spatial,
    /// <summary>(2+1)D: a 1x3x3 spatial conv to "mid" channels, BN, ReLU, then a 3x1x1 temporal conv (R(2+1)D).</summary>
    Factorised,
}

/// <summary>Builds the convolution of each <see cref="VideoConvKind"/> and the stride its shortcut projection needs.</summary>
public static class VideoConvolutions
{
    /// <summary>
    /// The convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> with spatial stride
    /// <paramref name="stride"/>. Only <see cref="VideoConvKind.Factorised"/> uses <paramref name="midChannels"/>; it is a
    /// Sequential whose children are named 0 (spatial conv), 1 (BN), 2 (ReLU), 3 (temporal conv), as torchvision's state dict.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(VideoConvKind kind, long inChannels, long outChannels, long midChannels, long stride) => kind switch
    {
        VideoConvKind.Full3d => nn.Conv3d(inChannels, outChannels, (3, 3, 3), stride: (stride, stride, stride), padding: (1, 1, 1), bias: false),
        VideoConvKind.Spatial => nn.Conv3d(inChannels, outChannels, (1, 3, 3), stride: (1, stride, stride), padding: (0, 1, 1), bias: false),
        VideoConvKind.Factorised => nn.Sequential(
            ("0", nn.Conv3d(inChannels, midChannels, (1, 3, 3), stride: (1, stride, stride), padding: (0, 1, 1), bias: false)),
            ("1", nn.BatchNorm3d(midChannels)),
            ("2", nn.ReLU(inplace: true)),
            ("3", nn.Conv3d(midChannels, outChannels, (3, 1, 1), stride: (stride, 1, 1), padding: (1, 0, 0), bias: false))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Stride (t, h, w) of the 1x1x1 shortcut projection: it must shrink time exactly as the block's convolution does.</summary>
    public static (long T, long H, long W) ShortcutStride(VideoConvKind kind, long stride) =>
        kind == VideoConvKind.Spatial ? (1, stride, stride) : (stride, stride, stride);

    /// <summary>
    /// (2+1)D's mid channels: chosen so the factorised pair has about the parameters of a full 3x3x3 conv,
    /// in·out·27 / (in·9 + 3·out), rounded down (torchvision computes it from the block's input width for both convs).
    /// </summary>
    public static long FactorisedMidChannels(long inChannels, long outChannels) =>
        inChannels * outChannels * 3 * 3 * 3 / (inChannels * 3 * 3 + 3 * outChannels);
}
