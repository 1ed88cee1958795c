using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReSpike.Training;

/// <summary>
/// A run's best and last epochs (summary.json, the end of `respike train`). "Best" is the reference's choice
/// (spec §6): the epoch with the highest clip-level top-1 on the test split, the first one on a tie (the reference
/// saves only when the accuracy improves); best.safetensors holds its weights. A run without evaluation picks the
/// lowest training loss instead. The best epoch by video-level top-1 is reported beside it, never used to choose.
/// </summary>
public sealed record RunSummary
{
    /// <summary>The metric "best" was chosen by: clip_top1, or train_loss for a run without evaluation.</summary>
    public string SelectedBy { get; init; } = "clip_top1";

    /// <summary>The epoch best.safetensors holds.</summary>
    public EpochMetrics? Best { get; init; }

    /// <summary>The epoch with the highest video-level top-1 (the first on a tie); null without evaluation.</summary>
    public EpochMetrics? BestVideo { get; init; }

    public EpochMetrics? Last { get; init; }

    /// <summary>The score the best checkpoint is chosen by: clip top-1, or minus the training loss without evaluation.</summary>
    public static double Score(EpochMetrics m) => m.ClipTop1 ?? -m.TrainLoss;

    /// <summary>Whether <paramref name="m"/> beats the best score so far (strictly: an equal later epoch does not).</summary>
    public static bool Improves(EpochMetrics m, double bestSoFar) => Score(m) > bestSoFar;

    public static RunSummary From(IReadOnlyList<EpochMetrics> epochs)
    {
        EpochMetrics? best = null, bestVideo = null;
        foreach (var m in epochs)
        {
            if (best is null || Improves(m, Score(best))) best = m;
            if (m.VideoTop1 is double v && (bestVideo is null || v > bestVideo.VideoTop1)) bestVideo = m;
        }
        return new RunSummary
        {
            SelectedBy = best?.ClipTop1 is null ? "train_loss" : "clip_top1",
            Best = best,
            BestVideo = bestVideo,
            Last = epochs.Count > 0 ? epochs[^1] : null,
        };
    }

    static readonly JsonSerializerOptions Json = new(MetricsLog.Json) { WriteIndented = true };

    /// <summary>summary.json: selected_by, and best, best_video and last as metrics.jsonl lines.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
