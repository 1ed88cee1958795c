using ReSpike.Training;

namespace ReSpike.Experiments;

/// <summary>
/// An experiment grid to run: which cells, into which folder, and the training settings they share (the same
/// config, --set assignments and flags `respike train` takes; a cell then fixes its model and, in a stride sweep, its stride).
/// </summary>
public sealed record ExperimentSettings
{
    /// <summary>The experiment's name, also the report files' stem: "ablation" writes ablation.md, .csv, .json, .png.</summary>
    public required string Name { get; init; }

    /// <summary>The grid folder: one run folder per cell inside it, the reports beside them.</summary>
    public required string OutputDirectory { get; init; }

    public required IReadOnlyList<ExperimentCell> Cells { get; init; }

    /// <summary>--config: a named config or JSON file every cell starts from.</summary>
    public string? Config { get; init; }

    /// <summary>--set assignments every cell gets (before its own).</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    /// <summary>Flags every cell gets; the cell's model (and stride, when it has one) replace --model (and --stride).</summary>
    public TrainingFlags Flags { get; init; } = new();

    /// <summary>Official splits to train and evaluate each cell on, results averaged (--split all: 1, 2, 3); null: the configured split only.</summary>
    public IReadOnlyList<int>? Splits { get; init; }

    /// <summary>Test clips the firing rates of the energy figure are averaged over (the paper: 100).</summary>
    public int EnergySamples { get; init; } = Energy.EnergyProfiler.DefaultSamples;
}
