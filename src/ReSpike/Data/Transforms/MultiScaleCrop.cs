using System.Text.Json;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// "multiscale-crop": TSN's GroupMultiScaleCrop as the reference trains Kinetics-400 with it (scales
/// [1, .875, .75, .66], max_distort 1, fix_crop and more_fix_crop on): crop width and height are picked
/// independently from min(W, H) × scales (sizes within 3 px of S become S) with scale indices at most
/// max_distort apart, the offset is one of 13 fixed grid points, and the crop is resized to S×S (bilinear,
/// no antialiasing, like our RandomResizedCrop; the reference resizes PIL images). One draw per clip.
/// </summary>
public sealed class MultiScaleCrop : IClipStep
{
    /// <summary>The reference's scales.</summary>
    public static readonly double[] Scales = [1, .875, .75, .66];

    readonly double[] _scales;

    public MultiScaleCrop(int size, IReadOnlyList<double>? scales = null, int maxDistort = 1)
    {
        if (size < 1) throw new ArgumentException($"size must be >= 1, got {size}");
        _scales = (scales ?? Scales).ToArray();
        if (_scales.Length == 0 || _scales.Any(s => !(s > 0 && s <= 1))) throw new ArgumentException($"scales must be in (0, 1], got [{string.Join(", ", _scales)}]");
        if (maxDistort < 0) throw new ArgumentException($"max_distort must be >= 0, got {maxDistort}");
        Size = size;
        MaxDistort = maxDistort;
    }

    public int Size { get; }
    public IReadOnlyList<double> CropScales => _scales;
    public int MaxDistort { get; }

    public string Type => "multiscale-crop";
    public bool Draws => true;
    public int? OutputSize => Size;

    public Tensor Apply(Tensor clip, Random rng) =>
        Resize.CropAndResize(clip, Parameters((int)clip.shape[^2], (int)clip.shape[^1], rng), Size);

    Tensor[] IClipStep.ApplyViews(Tensor clip, Random rng) => [Apply(clip, rng)];

    public string Describe() => $"MultiScaleCrop({Size}, scales=({string.Join(", ", _scales.Select(StepParameters.Format))}), max_distort={MaxDistort})";

    public void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteNumber("size", Size);
        StepParameters.WriteNumbers(json, "scales", _scales);
        json.WriteNumber("max_distort", MaxDistort);
    }

    internal static IClipStep Read(StepParameters p) => new MultiScaleCrop(p.Int("size"), p.Doubles("scales", Scales), p.Int("max_distort", 1));

    /// <summary>The (width, height) pairs a frame of this size may be cropped to (the reference's crop_pair list, in its order).</summary>
    public IReadOnlyList<(int Width, int Height)> CropSizes(int height, int width)
    {
        int baseSize = Math.Min(height, width);
        // int(base * scale) as Python truncates; a size within 3 px of S snaps to S
        var sizes = _scales.Select(s => (int)(baseSize * s)).Select(x => Math.Abs(x - Size) < 3 ? Size : x).ToArray();
        var pairs = new List<(int, int)>();
        for (int i = 0; i < sizes.Length; i++)
            for (int j = 0; j < sizes.Length; j++)
                if (Math.Abs(i - j) <= MaxDistort) pairs.Add((Math.Min(sizes[j], width), Math.Min(sizes[i], height))); // a snap above a frame smaller than S stays inside it
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
