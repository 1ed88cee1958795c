using ReSpike.Video;

namespace ReSpike.Data;

/// <summary>
/// The dataset flags typed on a command line (--dataset, --root, --split, ...): null means "not given". The rules that
/// turn them into a <see cref="DatasetSpec"/> live here, so every verb (train, eval, prepare, energy) applies them alike.
/// Paths are taken relative to the working directory.
/// </summary>
public sealed record DatasetFlags
{
    public string? Dataset { get; init; }
    public string? Root { get; init; }
    public int? Split { get; init; }
    public string? Annotations { get; init; }
    public string? TestAnnotations { get; init; }
    public string? LabelMap { get; init; }
    public string? LabelOrder { get; init; }
    public string? Cache { get; init; }
    public bool NoCache { get; init; }
    public bool? CompressCache { get; init; }
    public int? ShortSide { get; init; }
    public double? Fps { get; init; }
    public int? SyntheticSeed { get; init; }
    public int? SyntheticVideos { get; init; }
    public int? SyntheticFrames { get; init; }
    public int? SyntheticSize { get; init; }

    /// <summary>
    /// <paramref name="baseline"/> (a config file's dataset, or the defaults when null) with only the given flags changed.
    /// The result is checked; problems are <see cref="ArgumentException"/>s naming the flag (and the config field).
    /// </summary>
    public DatasetSpec Apply(DatasetSpec? baseline = null)
    {
        var b = baseline ?? new DatasetSpec();
        var kind = Dataset is { } d ? DatasetKinds.Parse(d) : b.Kind;
        var root = Root ?? b.Root;
        if (kind != DatasetKind.Synthetic)
        {
            if (root is null) throw new ArgumentException($"--root is required with --dataset {kind.ToString().ToLowerInvariant()} (or the config's data.root)");
            if (!Directory.Exists(root)) throw new ArgumentException($"--root: folder not found: {Path.GetFullPath(root)}");
        }
        int split = Split ?? b.Split;
        if (split is < 1 or > 3) throw new ArgumentException($"--split must be 1, 2 or 3, got {split}");
        // unset stays null: the library sets it from --image (DatasetSpec.ForImage)
        int? shortSide = ShortSide ?? b.Decode.ShortSide;
        if (shortSide < 16) throw new ArgumentException($"--short-side must be >= 16, got {shortSide}");
        var fps = Fps ?? b.Decode.FramesPerSecond;
        if (fps is <= 0) throw new ArgumentException($"--fps must be > 0, got {fps}");
        var labelMap = LabelMap ?? b.LabelMap;
        if (labelMap is not null && !File.Exists(labelMap)) throw new ArgumentException($"--label-map: file not found: {Path.GetFullPath(labelMap)}");
        var annotations = Annotations ?? b.Annotations;
        var testAnnotations = TestAnnotations ?? b.TestAnnotations;
        foreach (var (flag, path) in new[] { ("--annotations", annotations), ("--test-annotations", testAnnotations) })
            if (path is not null && !File.Exists(path) && !Directory.Exists(path)) throw new ArgumentException($"{flag}: not found: {Path.GetFullPath(path)}");
        int videos = SyntheticVideos ?? b.SyntheticVideosPerClass, frames = SyntheticFrames ?? b.SyntheticFrames, size = SyntheticSize ?? b.SyntheticSize;
        if (videos < 1) throw new ArgumentException($"--data-videos must be >= 1, got {videos}");
        if (frames < 1) throw new ArgumentException($"--data-frames must be >= 1, got {frames}");
        if (size < 16) throw new ArgumentException($"--data-size must be >= 16, got {size}");
        string? cache = NoCache ? null : Cache is { } c ? Path.GetFullPath(c) : b.CacheDirectory;
        var spec = b with
        {
            Kind = kind,
            LabelOrder = LabelOrder is { } order ? LabelOrders.Parse(order) : b.LabelOrder,
            Root = root is null ? null : Path.GetFullPath(root),
            Split = split,
            Annotations = annotations,
            TestAnnotations = testAnnotations,
            LabelMap = labelMap is null ? null : Path.GetFullPath(labelMap),
            SyntheticSeed = SyntheticSeed ?? b.SyntheticSeed,
            SyntheticVideosPerClass = videos,
            SyntheticFrames = frames,
            SyntheticSize = size,
            CacheDirectory = cache,
            CompressCache = CompressCache ?? b.CompressCache,
            Decode = b.Decode with { ShortSide = shortSide, FramesPerSecond = fps },
        };
        spec.CheckLabelOrder();
        return spec;
    }
}
