namespace ReSpike.Training;

/// <summary>
/// Where a run stands, saved in every training checkpoint: the epoch in progress (0-based), batches
/// done in it and their running sums, and the best result so far. Resuming from it replays nothing
/// and skips nothing, so the resumed run's metrics equal the uninterrupted run's.
/// </summary>
public sealed record TrainingState
{
    public int Epoch { get; init; }
    public int Step { get; init; }

    /// <summary>
    /// Clips of the epoch's order (<see cref="Data.Loading.ClipLoader.Clips"/>) the steps so far consumed: where a resumed run
    /// continues, whatever its number of ranks. 0 in checkpoints older than it (then Step × batch: one batch per step).
    /// </summary>
    public long Position { get; init; }
    public double LossSum { get; init; }
    public long Correct { get; init; }
    public long Seen { get; init; }
    public double EpochSeconds { get; init; }
    public double BestMetric { get; init; } = double.NegativeInfinity;
    public int BestEpoch { get; init; }
}
