using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;

namespace ReSpike.Training;

/// <summary>
/// How a model is tested so that the number matches how it was trained: the training's clip sampling
/// (a model trained on TSN segments is tested on one segment clip per video, as the reference tests
/// Kinetics-400) and its test transform. Random samplers draw from a fixed seed here, so every epoch,
/// run and model is tested on the same clips.
/// </summary>
public sealed record EvaluationProtocol
{
    public string Sampling { get; init; } = "clips";
    public TestCrop TestCrop { get; init; } = TestCrop.Centre;

    /// <summary>The run's test pipeline (config.json's test_pipeline); null: the one <see cref="TestCrop"/> names (runs saved before pipelines).</summary>
    public ClipPipeline? TestPipeline { get; init; }

    /// <summary>The decode short side the training used (null: unknown), so evaluation reuses its frame cache.</summary>
    public int? ShortSide { get; init; }

    /// <summary>The run config this protocol was read from (null: defaults).</summary>
    public string? Source { get; init; }

    /// <summary>Seed of the random test sampling (segments): fixed, not the training seed, so models compare on equal clips.</summary>
    public const int Seed = 0;

    public static EvaluationProtocol Of(TrainingOptions options) =>
        new() { Sampling = options.Sampling, TestCrop = options.TestCrop, TestPipeline = options.TestPipeline, ShortSide = options.Data.Decode.ShortSide };

    /// <summary>This protocol with another test crop (eval's --test-crop): the run's test pipeline gives way to the one the crop names.</summary>
    public EvaluationProtocol WithTestCrop(TestCrop crop) => this with { TestCrop = crop, TestPipeline = null };

    /// <summary>
    /// The protocol of the run a checkpoint belongs to, read from the config.json beside it (train writes
    /// last/best.safetensors next to it); the defaults (consecutive clips, centre) when there is none.
    /// </summary>
    public static EvaluationProtocol ForCheckpoint(string checkpoint)
    {
        var config = new RunFiles(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!).Config;
        return File.Exists(config) ? Of(TrainingOptions.FromJsonFile(config)) with { Source = config } : new EvaluationProtocol();
    }

    public ClipSampler Sampler(int frames) => ClipSampler.Parse(Sampling, frames);

    /// <summary>The test pipeline with <paramref name="crops"/> views per clip (3: its centre-crop becomes a three-crop).</summary>
    public ClipPipeline Pipeline(int imageSize, int crops = 1)
    {
        if (TestPipeline is null) return ClipPipeline.Test(imageSize, crops, TestCrop);
        if (TestPipeline.ImageSize != imageSize)
            throw new ArgumentException($"test_pipeline{(Source is null ? "" : " of " + Source)} makes {TestPipeline.ImageSize}x{TestPipeline.ImageSize} views but the model takes {imageSize}x{imageSize}");
        return TestPipeline.WithCrops(crops);
    }

    /// <summary>"segments, scaled-centre" for reports; a pipeline the crop names does not describe is spelled out.</summary>
    public string Describe() => TestPipeline is null || TestPipeline.SameAs(ClipPipeline.Test(TestPipeline.ImageSize, 1, TestCrop))
        ? $"{Sampling}, {TestCrop.Name()}"
        : $"{Sampling}, test_pipeline {TestPipeline.Describe()}";
}
