namespace ReSpike.Training;

/// <summary>One line of metrics.jsonl (snake_case field names are the CLI contract: epoch, train_loss, clip_top1, video_top1, seconds).</summary>
public sealed record EpochMetrics
{
    public int Epoch { get; init; }
    public double TrainLoss { get; init; }
    public double TrainTop1 { get; init; }
    public double? ClipTop1 { get; init; }
    public double? VideoTop1 { get; init; }
    public double? VideoTop5 { get; init; }
    public double? MeanClassAcc { get; init; }
    public double Lr { get; init; }
    public int TrainClips { get; init; }
    public double ClipsPerS { get; init; }
    public double Seconds { get; init; }
}
