using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// A clip transform as a list of named steps over [T, 3, H, W] of 0..255 floats, as mmaction2 writes
/// <c>train_pipeline = [dict(type=...), ...]</c>. The reference's are built by <see cref="Train"/>:
/// RandomResizedCrop(S) or TSN's multi-scale crop → horizontal flip → ImageNet normalisation (one view), and
/// <see cref="Test"/>: shorter side to S (or 8/7·S) → centre crop (1 view) or three crops (3 views) → normalisation.
/// In JSON (config.json's train_pipeline / test_pipeline) it is an array of <c>{"type": ..., ...parameters}</c>.
/// </summary>
[JsonConverter(typeof(ClipPipelineJsonConverter))]
public sealed class ClipPipeline
{
    public ClipPipeline(IReadOnlyList<IClipStep> steps)
    {
        if (steps.Count == 0) throw new ArgumentException("a pipeline needs at least one step");
        Steps = steps.ToList();
        ImageSize = Steps.LastOrDefault(s => s.OutputSize is not null)?.OutputSize
                    ?? throw new ArgumentException($"the pipeline {Describe()} never makes S×S views: it needs a crop step ({string.Join(", ", ClipSteps.Types.Where(t => t.EndsWith("crop")))})");
        Views = Steps.Aggregate(1, (views, s) => views * s.Views);
    }

    public IReadOnlyList<IClipStep> Steps { get; }

    /// <summary>True when a step draws random parameters (a training augmentation).</summary>
    public bool IsTraining => Steps.Any(s => s.Draws);

    /// <summary>S of the S×S views: the size of the last crop.</summary>
    public int ImageSize { get; }

    /// <summary>Views per clip (1, or 3 for three-crop testing).</summary>
    public int Views { get; }

    /// <summary>The shorter side a decoded frame needs so no crop is cut from an upscaled frame: the largest resize-short, else S.</summary>
    public int ShortSideNeeded => Steps.OfType<Resize>().Select(r => r.ShortSide).Append(ImageSize).Max();

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
        return new(flip ? [step, new HorizontalFlip(), new Normalize()] : [step, new Normalize()]);
    }

    /// <param name="crops">1: a centre crop; 3: three crops along the longer side.</param>
    /// <param name="resize">The shorter side before cropping: S (UCF-101/HMDB-51 reference) or 8/7·S (Kinetics-400 reference).</param>
    public static ClipPipeline Test(int imageSize, int crops = 1, TestCrop resize = TestCrop.Centre) =>
        new ClipPipeline([new Resize(resize.ShortSide(imageSize)), new CentreCrop(imageSize), new Normalize()]).WithCrops(crops);

    /// <summary>
    /// This test pipeline with <paramref name="crops"/> views per clip: 1 keeps it as it is; 3 turns its
    /// centre-crop into a three-crop of the same size (eval's --crops 3).
    /// </summary>
    public ClipPipeline WithCrops(int crops)
    {
        if (crops is not (1 or 3)) throw new ArgumentException($"--crops must be 1 (centre) or 3 (three crops), got {crops}");
        if (crops == 1 || Views == 3) return this;
        if (!Steps.Any(s => s is CentreCrop))
            throw new ArgumentException($"--crops 3 replaces the test pipeline's centre-crop by a three-crop, but {Describe()} has none");
        return new(Steps.Select(s => s is CentreCrop c ? new ThreeCrop(c.Size) : s).ToList());
    }

    /// <summary>Normalised views of one clip, each [T, 3, S, S]. Steps run in order; a multi-view step splits the clip and later steps run on each view.</summary>
    public Tensor[] Apply(Tensor clip, Random rng)
    {
        using var scope = NewDisposeScope();
        Tensor[] views = [clip.alias()];
        foreach (var step in Steps) views = views.SelectMany(v => step.ApplyViews(v, rng)).ToArray();
        return views.Select(v => v.MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>"RandomResizedCrop(112, scale=(0.08, 1), ratio=(0.75, 1.333)) → Flip(p=0.5) → Normalize(ImageNet)".</summary>
    public string Describe() => string.Join(" → ", Steps.Select(s => s.Describe()));

    public override string ToString() => Describe();

    /// <summary>The JSON array of steps (what config.json holds).</summary>
    public string ToJson(bool indented = false) => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = indented });

    /// <summary>A pipeline from its JSON array; an unknown step type or parameter is a <see cref="JsonException"/> naming the known ones.</summary>
    public static ClipPipeline FromJson(string json) =>
        JsonSerializer.Deserialize<ClipPipeline>(json) ?? throw new JsonException("a pipeline is a list of steps, got null");

    /// <summary>Same steps with the same parameters.</summary>
    public bool SameAs(ClipPipeline other) => ToJson() == other.ToJson();
}
