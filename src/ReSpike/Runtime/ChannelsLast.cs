using static TorchSharp.torch;

namespace ReSpike.Runtime;

/// <summary>
/// Channels-last layout for feature maps [..., C, H, W]: each pixel's C values adjacent in memory (NHWC), the shape
/// unchanged. libtorch's oneDNN convolutions and pooling run much faster on it on the CPU (a 3-channel stem
/// convolution about 7x, a 3x3 max pool about 14x, measured in docs/performance.md), and libtorch keeps the layout
/// through convolutions, BatchNorm, pooling, element-wise ops and stacking, so converting a branch's input once is
/// enough. Only the memory order changes: values and shapes are the same as in the default (contiguous) layout.
/// </summary>
public static class ChannelsLast
{
    /// <summary>x [..., C, H, W] in channels-last memory order (a copy unless it already is).</summary>
    public static Tensor From(Tensor x)
    {
        if (Is(x)) return x.alias();
        int rank = (int)x.dim();
        if (rank < 3) throw new ArgumentException($"channels-last needs [..., C, H, W], got {rank} dimensions");
        // [..., C, H, W] -> [..., H, W, C] contiguous -> viewed back as [..., C, H, W]
        var toLast = Enumerable.Range(0, rank - 3).Select(i => (long)i).Concat([rank - 2, rank - 1, rank - 3]).ToArray();
        var back = Enumerable.Range(0, rank - 3).Select(i => (long)i).Concat([rank - 1, rank - 3, rank - 2]).ToArray();
        using var nhwc = x.permute(toLast).contiguous();
        return nhwc.permute(back);
    }

    /// <summary>
    /// Whether a stage of 3x3 convolutions should take x in the contiguous layout instead: a channels-last map narrower than
    /// <see cref="SmallestMap"/>. oneDNN's channels-last 3x3 convolutions measured slower than contiguous ones on 4x4 maps
    /// here (ResNet-18's last stage at 112 px: 67-70 ms for the ANN branch instead of 76-91) and faster from 7x7 up.
    /// </summary>
    public static bool PrefersContiguous(Tensor x) => Is(x) && !x.is_contiguous() && x.shape[^1] < SmallestMap;

    /// <summary>The narrowest map side <see cref="PrefersContiguous"/> keeps channels-last: a stride-2 stage on it still has 4x4 outputs.</summary>
    public const long SmallestMap = 8;

    /// <summary>Whether x [..., C, H, W] is dense in channels-last order (C innermost, then W, H, then the leading dims as usual).</summary>
    public static bool Is(Tensor x)
    {
        int rank = (int)x.dim();
        if (rank < 3) return false;
        var shape = x.shape;
        var strides = x.stride();
        long expected = 1;
        // innermost first: C, W, H, then the leading dims from the last to the first; size-1 dims may have any stride
        foreach (int d in new[] { rank - 3, rank - 1, rank - 2 }.Concat(Enumerable.Range(0, rank - 3).Reverse()))
        {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }
}
