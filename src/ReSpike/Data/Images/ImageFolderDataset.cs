using ReSpike.Data.Formats;
using ReSpike.Video;
using SkiaSharp;

namespace ReSpike.Data.Images;

/// <summary>
/// Image classification from class-per-folder PNG/JPEG files, ImageNet's layout: root/train/&lt;class&gt;/*.png and
/// root/val/&lt;class&gt;/* (or root/test), classes the sorted folder names of train/ (torchvision's ImageFolder); without
/// train/ the folders are root/&lt;class&gt;/ and every 5th image of a class (sorted by name) is the test set, the
/// rule of the video <c>folder</c> layout (<see cref="FolderFormat"/>). Each image is a one-frame clip (grey and
/// palette images as RGB, alpha dropped) decoded with SkiaSharp when read, shrunk so its shorter side is at most
/// the decode short side as videos are; clips of more frames repeat it (direct encoding over T = --frames).
/// An image that does not decode is a <see cref="VideoDecodeException"/> (the toolkit's "this input does not decode",
/// naming the file), so a run skips and reports it as it does a broken video.
/// </summary>
public sealed class ImageFolderDataset : IFrameReader
{
    /// <summary>File extensions read as images (case-insensitive); other files in class folders are ignored.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg" };

    readonly int? shortSide;

    ImageFolderDataset(int? shortSide) => this.shortSide = shortSide;

    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>The subset's images and their reader; <paramref name="shortSide"/> caps the decoded shorter side (null: native size).</summary>
    public static (VideoDataset Dataset, ImageFolderDataset Reader) Load(string root, DatasetSubset subset, int? shortSide = null)
    {
        var dataset = FolderFormat.Load(root, subset, IsImage, "image", "image-folder");
        if (dataset.Count == 0)
            throw new InvalidDataException($"--root {root}: no {string.Join("/", Extensions)} images for the {subset.ToString().ToLowerInvariant()} subset "
                                           + "(expected root/train/<class>/*.png and root/val/<class>/*.png, or root/<class>/*.png with every 5th image held out)");
        var entries = dataset.Videos.Select(v => v with { FrameCount = 1 }).ToList();
        return (new VideoDataset(dataset.Name, dataset.ClassNames, entries), new ImageFolderDataset(shortSide));
    }

    /// <summary>1 for an image that decodes completely; decoding it is the check, as for videos.</summary>
    public int FrameCount(VideoEntry video)
    {
        Decode(video.Path).Dispose();
        return 1;
    }

    public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices)
    {
        using var bitmap = Decode(video.Path);
        int width = bitmap.Width, height = bitmap.Height, size = width * height;
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[indices.Count * size * 3];
        var first = rgb.AsSpan(0, size * 3);
        for (int p = 0; p < size; p++)
        {
            first[3 * p] = rgba[4 * p];
            first[3 * p + 1] = rgba[4 * p + 1];
            first[3 * p + 2] = rgba[4 * p + 2];
        }
        for (int f = 0; f < indices.Count; f++)
        {
            if (indices[f] != 0) throw new ArgumentOutOfRangeException(nameof(indices), indices[f], "an image has one frame (index 0)");
            if (f > 0) first.CopyTo(rgb.AsSpan(f * size * 3, size * 3));
        }
        return new FrameStack(indices.Count, height, width, rgb);
    }

    /// <summary>The image as RGBA (unpremultiplied), shrunk to the short side; a file that does not fully decode is an error naming it.</summary>
    SKBitmap Decode(string path)
    {
        if (!File.Exists(path)) throw new VideoDecodeException(path, "file not found");
        using var codec = SKCodec.Create(path, out var opened)
            ?? throw new VideoDecodeException(path, opened == SKCodecResult.IncompleteInput ? "image file is truncated" : "not a PNG or JPEG image");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width < 1 || info.Height < 1) throw new VideoDecodeException(path, $"image has no pixels ({info.Width}x{info.Height})");
        var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new VideoDecodeException(path, decoded == SKCodecResult.IncompleteInput ? "image file is truncated" : $"image does not decode ({decoded})");
        }
        return Shrunk(bitmap, path);
    }

    SKBitmap Shrunk(SKBitmap bitmap, string path)
    {
        int shorter = Math.Min(bitmap.Width, bitmap.Height);
        if (shortSide is not int target || shorter <= target) return bitmap;
        // as the video decoder: shorter side to the target, the longer side scaled and rounded
        double scale = target / (double)shorter;
        var info = new SKImageInfo(Math.Max(1, (int)Math.Round(bitmap.Width * scale)), Math.Max(1, (int)Math.Round(bitmap.Height * scale)),
                                   SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (bitmap)
            return bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
                   ?? throw new VideoDecodeException(path, $"image could not be resized to {info.Width}x{info.Height}");
    }
}
