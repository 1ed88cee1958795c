using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// The reference's augmentation, per clip [T, 3, H, W] of 0..255 floats:
/// train = RandomResizedCrop(S) or TSN's multi-scale crop + horizontal flip + ImageNet normalisation (one view);
/// test  = Resize(S or 8/7·S) on the shorter side + centre crop (1 view) or three crops (3 views) + normalisation.
/// </summary>
public sealed class ClipPipeline
{
    readonly IReadOnlyList<IClipStep> _steps;
    readonly int _size;
    readonly int _crops; // 0: the steps already give S x S (training); 1 or 3: test crops after the steps
    readonly Normalize _normalize = new();

    ClipPipeline(IReadOnlyList<IClipStep> steps, int size, int crops)
    {
        _steps = steps;
        _size = size;
        _crops = crops;
    }

    public bool IsTraining => _crops == 0;

    public int ImageSize => _size;

    /// <summary>Views per clip (1, or 3 for three-crop testing).</summary>
    public int Views => Math.Max(1, _crops);

    /// <param name="minCropScale">Smallest crop area fraction of RandomResizedCrop (reference 0.08).</param>
    /// <param name="flip">Random horizontal flip (reference: on). Off for classes told apart by left/right direction.</param>
    /// <param name="crop">RandomResizedCrop (UCF-101/HMDB-51 reference) or the multi-scale corner crop (Kinetics-400 reference; ignores <paramref name="minCropScale"/>).</param>
    public static ClipPipeline Train(int imageSize, double minCropScale = 0.08, bool flip = true, TrainCrop crop = TrainCrop.RandomResized)
    {
        if (!(minCropScale > 0 && minCropScale <= 1)) throw new ArgumentException($"--min-crop-scale must be in (0, 1], got {minCropScale}");
        IClipStep step = crop switch
        {
            TrainCrop.RandomResized => new RandomResizedCrop(imageSize, minScale: minCropScale),
            TrainCrop.Multiscale => new MultiScaleCrop(imageSize),
            _ => throw new ArgumentOutOfRangeException(nameof(crop), crop, null),
        };
        return new(flip ? [step, new HorizontalFlip()] : [step], imageSize, 0);
    }

    /// <param name="resize">The shorter side before cropping: S (UCF-101/HMDB-51 reference) or 8/7·S (Kinetics-400 reference).</param>
    public static ClipPipeline Test(int imageSize, int crops = 1, TestCrop resize = TestCrop.Centre)
    {
        if (crops is not (1 or 3)) throw new ArgumentException($"--crops must be 1 (centre) or 3 (three crops), got {crops}");
        return new([new Resize(resize.ShortSide(imageSize))], imageSize, crops);
    }

    /// <summary>Normalised views of one clip, each [T, 3, S, S].</summary>
    public Tensor[] Apply(Tensor clip, Random rng)
    {
        using var scope = NewDisposeScope();
        var x = clip.alias();
        foreach (var step in _steps) x = step.Apply(x, rng);
        Tensor[] views = _crops == 0 ? [x] : _crops == 1 ? [Crops.Center(x, _size)] : Crops.Three(x, _size);
        return views.Select(v => _normalize.Apply(v, rng).MoveToOuterDisposeScope()).ToArray();
    }
}
