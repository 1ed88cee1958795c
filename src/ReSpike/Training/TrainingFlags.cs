using ReSpike.Data.Transforms;
using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// The `train` settings given on the command line (null or false: not given), to lay over a config file or the
/// defaults by <see cref="TrainingInvocation"/>.
/// </summary>
public sealed record TrainingFlags
{
    public ConfigOverrides Model { get; init; } = new();
    public int? BatchSize { get; init; }
    public int? Epochs { get; init; }
    public double? LearningRate { get; init; }
    public string? Optimizer { get; init; }
    public string? Schedule { get; init; }
    public double? WeightDecay { get; init; }
    public int? WarmupEpochs { get; init; }
    public int? Seed { get; init; }
    public string? Sampling { get; init; }
    public TrainCrop? TrainCrop { get; init; }
    public TestCrop? TestCrop { get; init; }
    public double? MinCropScale { get; init; }
    /// <summary>--no-flip: only turns the flip off; a file's "horizontal_flip": false stays off without it.</summary>
    public bool NoFlip { get; init; }
    public string? Pretrained { get; init; }
    /// <summary>--no-eval: only turns evaluation off.</summary>
    public bool NoEval { get; init; }
    public int? Threads { get; init; }
    public int? SaveEvery { get; init; }
}
