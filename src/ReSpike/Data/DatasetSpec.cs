using ReSpike.Data.Cache;
using ReSpike.Data.Formats;
using ReSpike.Data.Synthetic;
using ReSpike.Data.Transforms;
using ReSpike.Video;

namespace ReSpike.Data;

/// <summary>
/// Everything that names a dataset on the command line (--dataset, --root, --split, --annotations,
/// --label-map, --label-order) and how its frames are read (the frame cache unless told otherwise).
/// </summary>
public sealed record DatasetSpec
{
    public DatasetKind Kind { get; init; } = DatasetKind.Synthetic;
    public string? Root { get; init; }
    public int Split { get; init; } = 1;

    /// <summary>Folder of split files (UCF/HMDB), or the annotation file (Kinetics CSV/list, rawframes list).</summary>
    public string? Annotations { get; init; }

    /// <summary>Test-subset annotation file for formats whose train and test lists are separate files (Kinetics, rawframes).</summary>
    public string? TestAnnotations { get; init; }

    public string? LabelMap { get; init; }

    /// <summary>UCF-101 label numbering: classInd.txt's (default) or torchvision's sorted folder names, as the reference (--label-order).</summary>
    public LabelOrder LabelOrder { get; init; } = LabelOrder.ClassInd;

    /// <summary>Seed of the synthetic dataset (its videos), independent of the training seed.</summary>
    public int SyntheticSeed { get; init; }
    public int SyntheticVideosPerClass { get; init; } = 24;
    public int SyntheticFrames { get; init; } = 16;
    public int SyntheticSize { get; init; } = 64;

    /// <summary>Decoded frames are cached here (null: decode with ffmpeg on every read).</summary>
    public string? CacheDirectory { get; init; } = DefaultCacheDirectory;

    /// <summary>
    /// How videos are decoded. A null short side means "what the crop needs": <see cref="ForImage(int, ReSpike.Data.Transforms.TestCrop, int?)"/> (called by
    /// training, eval, prepare and energy) fills it in; a spec opened without it decodes at the native size.
    /// </summary>
    public DecodeOptions Decode { get; init; } = new();

    /// <summary>Deflate each cached frame: about 20% smaller on real video but 1.6-2.4x slower to load (docs/data.md), so off by default.</summary>
    public bool CompressCache { get; init; }

    public static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "respike", "frames");

    /// <summary>
    /// This spec with the decode short side set for S×S crops: left unset, it becomes what the test transform
    /// needs (S, or 8/7·S for <see cref="TestCrop.ScaledCentre"/>; at least <paramref name="preferred"/>, e.g.
    /// the size a run was trained at, so its frame cache is reused). Set below that need, it is an error naming
    /// both flags: a smaller decode would upscale every crop.
    /// </summary>
    public DatasetSpec ForImage(int imageSize, TestCrop testCrop = TestCrop.Centre, int? preferred = null) =>
        ForShortSide(imageSize, testCrop.ShortSide(imageSize), testCrop == TestCrop.ScaledCentre ? ", 8/7 of it for --test-crop scaled-centre" : "", preferred);

    /// <summary>As <see cref="ForImage(int, TestCrop, int?)"/> for a test pipeline given as steps: it needs its largest resize-short (or S).</summary>
    public DatasetSpec ForImage(int imageSize, ClipPipeline test, int? preferred = null) =>
        ForShortSide(imageSize, test.ShortSideNeeded, test.ShortSideNeeded > imageSize ? ", the resize-short of test_pipeline" : "", preferred);

    DatasetSpec ForShortSide(int imageSize, int need, string why, int? preferred)
    {
        if (Decode.ShortSide is not int shortSide) return this with { Decode = Decode with { ShortSide = Math.Max(need, preferred ?? need) } };
        // synthetic videos are generated at --data-size and never decoded
        if (shortSide < need && Kind is not (DatasetKind.Synthetic or DatasetKind.Idx))
            throw new ArgumentException($"--short-side {shortSide} is smaller than --image {imageSize} needs ({need}{why}); pass --short-side {need} or more, or leave --short-side out to follow --image");
        return this;
    }

    /// <summary>The videos of one subset and the reader that serves their frames.</summary>
    public (VideoDataset Dataset, IFrameReader Reader) Open(DatasetSubset subset)
    {
        CheckLabelOrder();
        if (Kind == DatasetKind.Synthetic)
        {
            var synthetic = new SyntheticDataset(SyntheticSeed + (subset == DatasetSubset.Test ? 1_000_003 : 0),
                SyntheticVideosPerClass, SyntheticFrames, SyntheticSize);
            return (synthetic.Load(subset), synthetic);
        }
        var root = Root ?? throw new ArgumentException($"--root is required for --dataset {Kind.ToString().ToLowerInvariant()}");
        if (Kind == DatasetKind.Idx)
        {
            var (images, idxReader) = Images.IdxDataset.Load(root, subset);
            return (images, idxReader);
        }
        if (Kind == DatasetKind.ImageFolder)
        {
            // decoded when read (no frame cache): an image decodes in milliseconds, in process
            var (images, imageReader) = Images.ImageFolderDataset.Load(root, subset, Decode.ShortSide);
            return (images, imageReader);
        }
        var dataset = Kind switch
        {
            DatasetKind.Ucf101 => Ucf101Format.Load(root, Split, subset, Annotations, LabelOrder),
            DatasetKind.Hmdb51 => Hmdb51Format.Load(root, Split, subset, Annotations),
            DatasetKind.Kinetics400 => Kinetics400Format.Load(root, subset, SubsetAnnotation(subset), LabelMap),
            DatasetKind.Folder => FolderFormat.Load(root, subset),
            DatasetKind.Rawframes => RawFramesFormat.Load(root,
                SubsetAnnotation(subset) ?? throw new ArgumentException("--annotations is required for --dataset rawframes (a 'frame_dir total_frames label' list)"), LabelMap),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
        };
        IFrameReader reader = CacheDirectory is null ? new DecodingFrameReader(Decode) : new FrameCache(CacheDirectory, Decode, CompressCache);
        return (dataset, reader);
    }

    /// <summary>
    /// This spec numbering UCF-101 as a model's saved class names are numbered (<see cref="LabelOrders.Of"/>), so a
    /// checkpoint trained with either --label-order is evaluated in its own order; other layouts are unchanged.
    /// </summary>
    public DatasetSpec WithLabelOrderOf(IReadOnlyList<string>? modelClassNames) =>
        Kind == DatasetKind.Ucf101 && modelClassNames is { Count: > 0 } ? this with { LabelOrder = LabelOrders.Of(modelClassNames) } : this;

    /// <summary>--label-order renumbers UCF-101 only; the other layouts have one numbering (sorted folders or the label map).</summary>
    public void CheckLabelOrder()
    {
        if (LabelOrder != LabelOrder.ClassInd && Kind != DatasetKind.Ucf101)
            throw new ArgumentException($"--label-order {LabelOrder.Name()} applies to --dataset ucf101 only; " +
                $"{Kind.ToString().ToLowerInvariant()} has a single numbering (hmdb51 and folder already use the sorted folder names, kinetics400 and rawframes the label list)");
    }

    string? SubsetAnnotation(DatasetSubset subset) => subset == DatasetSubset.Test && TestAnnotations is not null ? TestAnnotations : Annotations;
}
