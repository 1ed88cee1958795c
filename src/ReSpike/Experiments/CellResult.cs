using System.Text.Json.Serialization;

namespace ReSpike.Experiments;

/// <summary>
/// What one experiment cell measured (the mean over splits when the grid ran several): accuracies of the final model
/// (last.safetensors), energy per clip with firing rates from the test clips, parameters and training time.
/// </summary>
public sealed record CellResult
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    /// <summary>What the model sees, e.g. "key frames + residuals".</summary>
    [JsonPropertyName("inputs")] public required string Inputs { get; init; }
    [JsonPropertyName("stride")] public required int Stride { get; init; }
    [JsonPropertyName("video_top1")] public required double VideoTop1 { get; init; }
    [JsonPropertyName("clip_top1")] public required double ClipTop1 { get; init; }
    /// <summary>Energy per clip at 45 nm (4.6 pJ per MAC, 0.9 pJ per AC).</summary>
    [JsonPropertyName("energy_mj")] public required double EnergyMj { get; init; }
    [JsonPropertyName("gmacs")] public required double Gmacs { get; init; }
    [JsonPropertyName("gacs")] public required double Gacs { get; init; }
    [JsonPropertyName("firing_rate")] public required double FiringRate { get; init; }
    [JsonPropertyName("params")] public required long Params { get; init; }
    /// <summary>Seconds of the training epochs (metrics.jsonl), summed over splits; evaluation and energy not included.</summary>
    [JsonPropertyName("train_seconds")] public required double TrainSeconds { get; init; }
    /// <summary>Class name -> video-level accuracy (NaN-free: classes without test videos are left out).</summary>
    [JsonPropertyName("per_class")] public required IReadOnlyDictionary<string, double> PerClass { get; init; }
    /// <summary>The official splits averaged (one entry for a single run).</summary>
    [JsonPropertyName("splits")] public required IReadOnlyList<int> Splits { get; init; }
    [JsonPropertyName("run_directory")] public required string RunDirectory { get; init; }

    /// <summary>The mean of one cell's per-split results (accuracies, energy and per-class accuracies averaged; times summed).</summary>
    public static CellResult Mean(IReadOnlyList<CellResult> splits)
    {
        if (splits.Count == 1) return splits[0];
        var first = splits[0];
        return first with
        {
            VideoTop1 = splits.Average(s => s.VideoTop1),
            ClipTop1 = splits.Average(s => s.ClipTop1),
            EnergyMj = splits.Average(s => s.EnergyMj),
            Gmacs = splits.Average(s => s.Gmacs),
            Gacs = splits.Average(s => s.Gacs),
            FiringRate = splits.Average(s => s.FiringRate),
            TrainSeconds = splits.Sum(s => s.TrainSeconds),
            PerClass = first.PerClass.Keys.Where(k => splits.All(s => s.PerClass.ContainsKey(k)))
                .ToDictionary(k => k, k => splits.Average(s => s.PerClass[k])),
            Splits = splits.SelectMany(s => s.Splits).ToList(),
            RunDirectory = Path.GetDirectoryName(first.RunDirectory) ?? first.RunDirectory,
        };
    }
}
