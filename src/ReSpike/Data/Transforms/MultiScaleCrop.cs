using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// TSN's GroupMultiScaleCrop as the reference trains Kinetics-400 with it (scales [1, .875, .75, .66],
/// max_distort 1, fix_crop and more_fix_crop on): crop width and height are picked independently
/// from min(W, H) × scales (sizes within 3 px of S become S) with scale indices at most one apart,
/// the offset is one of 13 fixed grid points, and the crop is resized to S×S (bilinear, no
/// antialiasing, like our RandomResizedCrop; the reference resizes PIL images). One draw per clip.
/// </summary>
public sealed class MultiScaleCrop(int size) : IClipStep
{
    public static readonly double[] Scales = [1, .875, .75, .66];

    public int Size { get; } = size;

    public Tensor Apply(Tensor clip, Random rng)
    {
        int height = (int)clip.shape[^2], width = (int)clip.shape[^1];
        var (top, left, h, w) = Parameters(height, width, rng);
        using var crop = clip[.., .., top..(top + h), left..(left + w)];
        return Resize.Bilinear(crop, Size, Size);
    }

    /// <summary>The (width, height) pairs a frame of this size may be cropped to (the reference's crop_pair list, in its order).</summary>
    public IReadOnlyList<(int Width, int Height)> CropSizes(int height, int width)
    {
        int baseSize = Math.Min(height, width);
        // int(base * scale) as Python truncates; a size within 3 px of S snaps to S
        var sizes = Scales.Select(s => (int)(baseSize * s)).Select(x => Math.Abs(x - Size) < 3 ? Size : x).ToArray();
        var pairs = new List<(int, int)>();
        for (int i = 0; i < sizes.Length; i++)
            for (int j = 0; j < sizes.Length; j++)
                if (Math.Abs(i - j) <= 1) pairs.Add((Math.Min(sizes[j], width), Math.Min(sizes[i], height))); // a snap above a frame smaller than S stays inside it
        return pairs;
    }

    /// <summary>The 13 offsets (left, top) of TSN's fill_fix_offset with more_fix_crop: corners, centre, edge centres, quarter points.</summary>
    public static IReadOnlyList<(int Left, int Top)> Offsets(int height, int width, int cropHeight, int cropWidth)
    {
        int w = (width - cropWidth) / 4, h = (height - cropHeight) / 4;
        return
        [
            (0, 0), (4 * w, 0), (0, 4 * h), (4 * w, 4 * h), (2 * w, 2 * h),
            (0, 2 * h), (4 * w, 2 * h), (2 * w, 4 * h), (2 * w, 0),
            (w, h), (3 * w, h), (w, 3 * h), (3 * w, 3 * h),
        ];
    }

    public (int Top, int Left, int Height, int Width) Parameters(int height, int width, Random rng)
    {
        var sizes = CropSizes(height, width);
        var (cropWidth, cropHeight) = sizes[rng.Next(sizes.Count)];
        var offsets = Offsets(height, width, cropHeight, cropWidth);
        var (left, top) = offsets[rng.Next(offsets.Count)];
        return (top, left, cropHeight, cropWidth);
    }
}
