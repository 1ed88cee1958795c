using System.CommandLine;
using ReSpike.Data;
using ReSpike.Video;

namespace ReSpike.Cli.Commands;

/// <summary>The flags that name a dataset and how its frames are read, shared by train, eval, prepare and energy.</summary>
sealed class DatasetOptions
{
    /// <summary>The --split value that asks an experiment for every official split (then <see cref="AllSplits"/> is true).</summary>
    public const string AllSplitsValue = "all";

    /// <param name="allSplits">Also accept --split all (the experiment verbs: every official split, results averaged).</param>
    public DatasetOptions(bool allSplits = false)
    {
        Split = new Option<string>("--split")
        {
            Description = allSplits ? "Official split (ucf101, hmdb51), or all: train and evaluate splits 1-3 and report the mean (the paper's 3-fold mean)." : "Official split (ucf101, hmdb51).",
            DefaultValueFactory = _ => "1",
        }.AcceptOnly(allSplits ? ["1", "2", "3", AllSplitsValue] : ["1", "2", "3"]).InGroup(HelpGroup.Data);
    }

    public Option<string> Dataset { get; } = new Option<string>("--dataset")
    {
        Description = "Dataset layout: " + CommonOptions.Choices(DatasetKinds.Registry) + ".",
        DefaultValueFactory = _ => "synthetic",
    }.AcceptOnlyRegistered(DatasetKinds.Registry).InGroup(HelpGroup.Data);

    public Option<DirectoryInfo?> Root { get; } = new Option<DirectoryInfo?>("--root") { Description = "Dataset folder (videos; for ucf101 also classInd.txt and the split lists, or see --annotations)." }.InGroup(HelpGroup.Data);
    public Option<string> Split { get; }
    public Option<string?> Annotations { get; } = new Option<string?>("--annotations") { Description = "Split-file folder (ucf101/hmdb51) or annotation file (kinetics400 CSV or 'path label' list; rawframes 'dir frames label' list): the training list, and for eval the evaluated list unless --test-annotations is given.", HelpName = "PATH" }.InGroup(HelpGroup.Data);
    public Option<string?> TestAnnotations { get; } = new Option<string?>("--test-annotations") { Description = "Annotation file of the test subset (kinetics400, rawframes).", HelpName = "FILE" }.InGroup(HelpGroup.Data);
    public Option<FileInfo?> LabelMap { get; } = new Option<FileInfo?>("--label-map") { Description = "Class names, one per line in label order (kinetics400, rawframes)." }.InGroup(HelpGroup.Data);
    public Option<string> LabelOrder { get; } = new Option<string>("--label-order")
    {
        Description = "UCF-101 label numbering: classind (classInd.txt) or folders (the class names sorted as Python's sorted(), " +
                      "torchvision's and the reference's order; use it to exchange checkpoints with the reference). Saved in the run's config.json; " +
                      "eval takes it from the checkpoint's class names unless given.",
        DefaultValueFactory = _ => "classind",
    }.AcceptOnly(LabelOrders.Names).InGroup(HelpGroup.Data);
    public Option<DirectoryInfo?> Cache { get; } = new Option<DirectoryInfo?>("--cache") { Description = "Frame cache folder." }.DefaultText(DatasetSpec.DefaultCacheDirectory).InGroup(HelpGroup.Data);
    public Option<bool> NoCache { get; } = new Option<bool>("--no-cache") { Description = "Decode with ffmpeg on every read instead of caching frames." }.InGroup(HelpGroup.Data);
    public Option<bool> CompressCache { get; } = new Option<bool>("--compress-cache") { Description = "Deflate cached frames (~20% smaller on real video, slower to load)." }.InGroup(HelpGroup.Data);
    public Option<int?> ShortSide { get; } = new Option<int?>("--short-side") { Description = "Decode/cache frames with this shorter side; sources already smaller keep their size." }
        .DefaultText("what --image needs: --image, or 8/7 of it with --test-crop scaled-centre").InGroup(HelpGroup.Data);
    public Option<double?> Fps { get; } = new Option<double?>("--fps") { Description = "Resample videos to this frame rate when decoding." }.DefaultText("every decoded frame").InGroup(HelpGroup.Data);
    public Option<int> SyntheticSeed { get; } = new Option<int>("--data-seed") { Description = "Synthetic dataset: seed of its videos.", DefaultValueFactory = _ => 0 }.InGroup(HelpGroup.Data);
    public Option<int> SyntheticVideos { get; } = new Option<int>("--data-videos") { Description = "Synthetic dataset: videos per class in each subset.", DefaultValueFactory = _ => 24 }.InGroup(HelpGroup.Data);
    public Option<int> SyntheticFrames { get; } = new Option<int>("--data-frames") { Description = "Synthetic dataset: frames per video.", DefaultValueFactory = _ => 16 }.InGroup(HelpGroup.Data);
    public Option<int> SyntheticSize { get; } = new Option<int>("--data-size") { Description = "Synthetic dataset: frame size in pixels.", DefaultValueFactory = _ => 64 }.InGroup(HelpGroup.Data);

    Option[] All => [Dataset, Root, Split, Annotations, TestAnnotations, LabelMap, LabelOrder, Cache, NoCache, CompressCache, ShortSide, Fps, SyntheticSeed, SyntheticVideos, SyntheticFrames, SyntheticSize];

    /// <summary>True when any dataset flag was typed (a config file's dataset is then replaced by the flags).</summary>
    public bool AnyGiven(ParseResult parse) => All.Any(o => parse.GetResult(o) is { Implicit: false });

    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>True when --split all was typed.</summary>
    public bool AllSplits(ParseResult parse) => parse.GetValue(Split) == AllSplitsValue;

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
            Split = TypedText(Split) is { } split && split != AllSplitsValue ? int.Parse(split, System.Globalization.CultureInfo.InvariantCulture) : null,
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
