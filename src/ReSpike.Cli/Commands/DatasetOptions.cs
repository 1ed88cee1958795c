using System.CommandLine;
using ReSpike.Data;
using ReSpike.Video;

namespace ReSpike.Cli.Commands;

/// <summary>The flags that name a dataset and how its frames are read, shared by train, eval, prepare and energy.</summary>
sealed class DatasetOptions
{
    public Option<string> Dataset { get; } = new Option<string>("--dataset")
    {
        Description = "Dataset layout: " + CommonOptions.Choices(DatasetKinds.Registry) + ".",
        DefaultValueFactory = _ => "synthetic",
    }.AcceptOnlyRegistered(DatasetKinds.Registry);

    public Option<DirectoryInfo?> Root { get; } = new("--root") { Description = "Dataset folder (videos; for ucf101 also classInd.txt and the split lists, or see --annotations)." };
    public Option<int> Split { get; } = new("--split") { Description = "Official split 1-3 (ucf101, hmdb51).", DefaultValueFactory = _ => 1 };
    public Option<string?> Annotations { get; } = new("--annotations") { Description = "Split-file folder (ucf101/hmdb51) or annotation file (kinetics400 CSV or 'path label' list; rawframes 'dir frames label' list): the training list, and for eval the evaluated list unless --test-annotations is given." };
    public Option<string?> TestAnnotations { get; } = new("--test-annotations") { Description = "Annotation file of the test subset (kinetics400, rawframes)." };
    public Option<FileInfo?> LabelMap { get; } = new("--label-map") { Description = "Class names, one per line in label order (kinetics400, rawframes)." };
    public Option<string> LabelOrder { get; } = new Option<string>("--label-order")
    {
        Description = "UCF-101 label numbering: classind (classInd.txt, default) or folders (the class names sorted as Python's sorted(), " +
                      "torchvision's and the reference's order; use it to exchange checkpoints with the reference). Saved in the run's config.json; " +
                      "eval takes it from the checkpoint's class names unless given.",
        DefaultValueFactory = _ => "classind",
    }.AcceptOnlyFromAmong([.. LabelOrders.Names]);
    public Option<DirectoryInfo?> Cache { get; } = new("--cache") { Description = $"Frame cache folder (default {DatasetSpec.DefaultCacheDirectory})." };
    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Decode with ffmpeg on every read instead of caching frames." };
    public Option<bool> CompressCache { get; } = new("--compress-cache") { Description = "Deflate cached frames (~20% smaller on real video, slower to load)." };
    public Option<int?> ShortSide { get; } = new("--short-side") { Description = "Decode/cache frames with this shorter side (default: what --image needs: --image, or 8/7 of it with --test-crop scaled-centre; sources already smaller keep their size)." };
    public Option<double?> Fps { get; } = new("--fps") { Description = "Resample videos to this frame rate when decoding (default: every decoded frame)." };
    public Option<int> SyntheticSeed { get; } = new("--data-seed") { Description = "Synthetic dataset: seed of its videos.", DefaultValueFactory = _ => 0 };
    public Option<int> SyntheticVideos { get; } = new("--data-videos") { Description = "Synthetic dataset: videos per class in each subset.", DefaultValueFactory = _ => 24 };
    public Option<int> SyntheticFrames { get; } = new("--data-frames") { Description = "Synthetic dataset: frames per video.", DefaultValueFactory = _ => 16 };
    public Option<int> SyntheticSize { get; } = new("--data-size") { Description = "Synthetic dataset: frame size in pixels.", DefaultValueFactory = _ => 64 };

    Option[] All => [Dataset, Root, Split, Annotations, TestAnnotations, LabelMap, LabelOrder, Cache, NoCache, CompressCache, ShortSide, Fps, SyntheticSeed, SyntheticVideos, SyntheticFrames, SyntheticSize];

    /// <summary>True when any dataset flag was typed (a config file's dataset is then replaced by the flags).</summary>
    public bool AnyGiven(ParseResult parse) => All.Any(o => parse.GetResult(o) is { Implicit: false });

    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>True when --label-order was typed (otherwise eval follows the checkpoint's class order).</summary>
    public bool LabelOrderGiven(ParseResult parse) => parse.GetResult(LabelOrder) is { Implicit: false };

    /// <summary>The dataset the flags describe (flag defaults for anything not typed).</summary>
    public DatasetSpec Read(ParseResult parse) => Apply(parse, baseline: null);

    /// <summary>
    /// <paramref name="baseline"/> (e.g. from a config file) with only the typed flags changed; null takes every
    /// flag's value, defaults included. The result is checked, and problems name the flag.
    /// </summary>
    public DatasetSpec Apply(ParseResult parse, DatasetSpec? baseline)
    {
        var b = baseline ?? new DatasetSpec();
        T Pick<T>(Option<T> option, T fallback) => baseline is null || parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fallback;

        var kind = baseline is null || parse.GetResult(Dataset) is { Implicit: false } ? DatasetKinds.Parse(parse.GetValue(Dataset)!) : b.Kind;
        var root = Pick(Root, b.Root is null ? null : new DirectoryInfo(b.Root));
        if (kind != DatasetKind.Synthetic)
        {
            if (root is null) throw new UsageException($"--root is required with --dataset {kind.ToString().ToLowerInvariant()}");
            if (!root.Exists) throw new UsageException($"--root: folder not found: {root.FullName}");
        }
        int split = Pick(Split, b.Split);
        if (split is < 1 or > 3) throw new UsageException($"--split must be 1, 2 or 3, got {split}");
        // unset stays null: the library sets it from --image (DatasetSpec.ForImage)
        int? shortSide = Pick(ShortSide, b.Decode.ShortSide);
        if (shortSide < 16) throw new UsageException($"--short-side must be >= 16, got {shortSide}");
        var fps = Pick(Fps, b.Decode.FramesPerSecond);
        if (fps is <= 0) throw new UsageException($"--fps must be > 0, got {fps}");
        var labelMap = Pick(LabelMap, b.LabelMap is null ? null : new FileInfo(b.LabelMap));
        if (labelMap is { Exists: false }) throw new UsageException($"--label-map: file not found: {labelMap.FullName}");
        var annotations = Pick(Annotations, b.Annotations);
        var testAnnotations = Pick(TestAnnotations, b.TestAnnotations);
        foreach (var (flag, path) in new[] { ("--annotations", annotations), ("--test-annotations", testAnnotations) })
            if (path is not null && !File.Exists(path) && !Directory.Exists(path)) throw new UsageException($"{flag}: not found: {Path.GetFullPath(path)}");
        int videos = Pick(SyntheticVideos, b.SyntheticVideosPerClass), frames = Pick(SyntheticFrames, b.SyntheticFrames), size = Pick(SyntheticSize, b.SyntheticSize);
        if (videos < 1) throw new UsageException($"--data-videos must be >= 1, got {videos}");
        if (frames < 1) throw new UsageException($"--data-frames must be >= 1, got {frames}");
        if (size < 16) throw new UsageException($"--data-size must be >= 16, got {size}");
        string? cache = parse.GetValue(NoCache) ? null
            : parse.GetResult(Cache) is { Implicit: false } ? parse.GetValue(Cache)!.FullName
            : baseline is null ? DatasetSpec.DefaultCacheDirectory : b.CacheDirectory;
        var labelOrder = baseline is null || LabelOrderGiven(parse) ? LabelOrders.Parse(parse.GetValue(LabelOrder)!) : b.LabelOrder;
        var spec = b with
        {
            Kind = kind,
            LabelOrder = labelOrder,
            Root = root?.FullName,
            Split = split,
            Annotations = annotations,
            TestAnnotations = testAnnotations,
            LabelMap = labelMap?.FullName,
            SyntheticSeed = Pick(SyntheticSeed, b.SyntheticSeed),
            SyntheticVideosPerClass = videos,
            SyntheticFrames = frames,
            SyntheticSize = size,
            CacheDirectory = cache,
            CompressCache = Pick(CompressCache, b.CompressCache),
            Decode = b.Decode with { ShortSide = shortSide, FramesPerSecond = fps },
        };
        try { spec.CheckLabelOrder(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        return spec;
    }
}
