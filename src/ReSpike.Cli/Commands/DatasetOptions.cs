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

    /// <summary>The dataset the flags describe (defaults for anything not typed); problems are usage errors naming the flag.</summary>
    public DatasetSpec Read(ParseResult parse) => Apply(parse, baseline: null);

    /// <summary><paramref name="baseline"/> (null: the defaults) with only the typed flags changed (<see cref="DatasetFlags.Apply"/>).</summary>
    public DatasetSpec Apply(ParseResult parse, DatasetSpec? baseline)
    {
        try { return Flags(parse).Apply(baseline); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>The typed dataset flags (null where a flag was not given).</summary>
    public DatasetFlags Flags(ParseResult parse)
    {
        T? Typed<T>(Option<T> option) where T : struct => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
        string? TypedText(Option<string> option) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
        return new DatasetFlags
        {
            Dataset = TypedText(Dataset),
            Root = parse.GetValue(Root)?.FullName,
            Split = Typed(Split),
            Annotations = parse.GetValue(Annotations),
            TestAnnotations = parse.GetValue(TestAnnotations),
            LabelMap = parse.GetValue(LabelMap)?.FullName,
            LabelOrder = TypedText(LabelOrder),
            Cache = parse.GetValue(Cache)?.FullName,
            NoCache = parse.GetValue(NoCache),
            CompressCache = parse.GetValue(CompressCache) ? true : null,
            ShortSide = parse.GetValue(ShortSide),
            Fps = parse.GetValue(Fps),
            SyntheticSeed = Typed(SyntheticSeed),
            SyntheticVideos = Typed(SyntheticVideos),
            SyntheticFrames = Typed(SyntheticFrames),
            SyntheticSize = Typed(SyntheticSize),
        };
    }
}
