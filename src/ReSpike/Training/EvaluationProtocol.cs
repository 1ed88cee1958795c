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

    /// <summary>The decode short side the training used (null: unknown), so evaluation reuses its frame cache.</summary>
    public int? ShortSide { get; init; }

    /// <summary>The run config this protocol was read from (null: defaults).</summary>
    public string? Source { get; init; }

    /// <summary>Seed of the random test sampling (segments): fixed, not the training seed, so models compare on equal clips.</summary>
    public const int Seed = 0;

    public static EvaluationProtocol Of(TrainingOptions options) =>
        new() { Sampling = options.Sampling, TestCrop = options.TestCrop, ShortSide = options.Data.Decode.ShortSide };

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

    public ClipPipeline Pipeline(int imageSize, int crops = 1) => ClipPipeline.Test(imageSize, crops, TestCrop);

    /// <summary>"segments, scaled-centre" for reports.</summary>
    public string Describe() => $"{Sampling}, {TestCrop.Name()}";
}
