using ReSpike.Video;

namespace ReSpike.Data.Images;

/// <summary>
/// MNIST-style image classification (Fashion-MNIST, MNIST) from IDX files in --root: train-images-idx3-ubyte and
/// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each optionally .gz. Every image
/// is a one-frame clip (grey copied to R, G and B) held in memory; clips of more frames repeat it (direct encoding
/// of a spiking network, T = --frames).
/// </summary>
public sealed class IdxDataset : IFrameReader
{
    /// <summary>Fashion-MNIST's labels 0..9.</summary>
    public static readonly IReadOnlyList<string> FashionClasses =
        ["t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"];

    /// <summary>Where Debian's dataset-fashion-mnist package puts the files.</summary>
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";

    readonly byte[] pixels;
    readonly int height, width;

    IdxDataset(byte[] pixels, int height, int width) => (this.pixels, this.height, this.width) = (pixels, height, width);

    /// <summary>The subset's images and labels. Class names: Fashion-MNIST's when the folder name says "fashion", the digits otherwise.</summary>
    public static (VideoDataset Dataset, IdxDataset Reader) Load(string root, DatasetSubset subset)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--root: folder not found: {root}");
        string prefix = subset == DatasetSubset.Train ? "train" : "t10k";
        var (imageShape, images) = IdxFile.Read(Find(root, $"{prefix}-images-idx3-ubyte"));
        var (labelShape, labels) = IdxFile.Read(Find(root, $"{prefix}-labels-idx1-ubyte"));
        if (imageShape.Length != 3) throw new InvalidDataException($"{root}: {prefix} images have {imageShape.Length} dimensions, expected [N, H, W]");
        if (labelShape.Length != 1 || labelShape[0] != imageShape[0])
            throw new InvalidDataException($"{root}: {imageShape[0]} {prefix} images but {labelShape[0]} labels");
        bool fashion = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))).Contains("fashion", StringComparison.OrdinalIgnoreCase);
        int classes = labels.Length == 0 ? 0 : labels.Max() + 1;
        var names = fashion && classes <= FashionClasses.Count ? FashionClasses.Take(Math.Max(classes, 10)).ToList()
            : Enumerable.Range(0, Math.Max(classes, 10)).Select(i => i.ToString()).ToList();
        var entries = labels.Select((label, i) => new VideoEntry($"idx://{prefix}/{i}", label, $"{prefix}-labels-idx1-ubyte:{i}") { FrameCount = 1 }).ToList();
        var name = $"{(fashion ? "fashion-mnist" : "idx")} {subset.ToString().ToLowerInvariant()}";
        return (new VideoDataset(name, names, entries), new IdxDataset(images, imageShape[1], imageShape[2]));
    }

    static string Find(string root, string stem)
    {
        foreach (var candidate in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx"), stem.Replace("-idx", ".idx") + ".gz" })
        {
            var path = Path.Combine(root, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"--root {root}: no {stem} or {stem}.gz (an MNIST-style IDX folder; Fashion-MNIST: apt-get install dataset-fashion-mnist, --root {DebianFashionMnist})");
    }

    public int FrameCount(VideoEntry video) => 1;

    public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices)
    {
        int index = IndexOf(video);
        int size = height * width;
        var rgb = new byte[indices.Count * size * 3];
        var image = pixels.AsSpan(index * size, size);
        for (int f = 0; f < indices.Count; f++)
        {
            if (indices[f] != 0) throw new ArgumentOutOfRangeException(nameof(indices), indices[f], "an image has one frame (index 0)");
            var frame = rgb.AsSpan(f * size * 3, size * 3);
            for (int p = 0; p < size; p++) frame[3 * p] = frame[3 * p + 1] = frame[3 * p + 2] = image[p];
        }
        return new FrameStack(indices.Count, height, width, rgb);
    }

    int IndexOf(VideoEntry video)
    {
        int slash = video.Path.LastIndexOf('/');
        if (!video.Path.StartsWith("idx://", StringComparison.Ordinal) || !int.TryParse(video.Path.AsSpan(slash + 1), out int index)
            || index < 0 || (long)(index + 1) * height * width > pixels.Length)
            throw new ArgumentException($"{video.Path} is not an image of this IDX dataset");
        return index;
    }
}
