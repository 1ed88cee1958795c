using ReSpike.Data;

namespace ReSpike.Training;

/// <summary>
/// The training flags typed on a `respike train` command line; null (or false) means "not given". <see cref="TrainingInvocation"/>
/// applies them over the config file and its --set overrides: a given flag always wins.
/// </summary>
public sealed record TrainingFlags
{
    public string? Model { get; init; }
    public string? Backbone { get; init; }
    public int? Stride { get; init; }
    public int? Frames { get; init; }
    public int? Image { get; init; }
    public string? Fusion { get; init; }
    public int? Batch { get; init; }
    public int? Accumulate { get; init; }
    public bool FreezeBatchNorm { get; init; }
    public bool RecomputeSpikeLayers { get; init; }
    public int? Epochs { get; init; }
    public double? LearningRate { get; init; }
    public string? Optimizer { get; init; }
    public string? Schedule { get; init; }
    public double? WeightDecay { get; init; }
    public int? Warmup { get; init; }
    public int? Seed { get; init; }
    public string? Sampling { get; init; }
    public string? TrainCrop { get; init; }
    public string? TestCrop { get; init; }
    public double? MinCropScale { get; init; }
    public bool NoFlip { get; init; }
    public string? Pretrained { get; init; }
    public bool NoEval { get; init; }
    public int? Threads { get; init; }
    public int? SaveEvery { get; init; }
    public bool SegmentLoss { get; init; }

    /// <summary>The dataset flags (--dataset, --root, ...).</summary>
    public DatasetFlags Data { get; init; } = new();
}
