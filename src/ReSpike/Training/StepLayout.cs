namespace ReSpike.Training;

/// <summary>
/// Which clips of an epoch one optimisation step takes, and which of them this rank trains on. The epoch's clip order
/// depends only on the seed and the epoch (<see cref="Data.Loading.ClipLoader.Clips"/>); it is cut into micro-batches of
/// <see cref="MicroBatch"/> clips, and step s takes the next <see cref="MicroBatchesPerStep"/> of them (ranks × accumulate):
/// rank r gets micro-batches r·A … r·A + A − 1 of the step. So 2 ranks with --batch b see exactly the batches of 1 process
/// with --batch b --accumulate 2. A step starts at a clip position, not a step number, which is what lets a run resume with
/// another number of ranks: the resumed run continues from the saved position with its own global batch.
/// </summary>
public sealed record StepLayout(int MicroBatch, int Accumulate = 1, int Ranks = 1, int Rank = 0)
{
    /// <summary>Micro-batches in one optimisation step over all ranks.</summary>
    public int MicroBatchesPerStep => Accumulate * Ranks;

    /// <summary>Clips in one optimisation step over all ranks: --batch × --accumulate × ranks.</summary>
    public int GlobalBatch => MicroBatch * MicroBatchesPerStep;

    /// <summary>Steps left in an epoch of <paramref name="clips"/> clips from clip <paramref name="position"/> on (the last may be short).</summary>
    public int Steps(int clips, long position) => (int)Math.Max(0, (clips - position + GlobalBatch - 1) / GlobalBatch);

    /// <summary>This rank's micro-batches from <paramref name="position"/> to the end of the epoch: (step index from there, first clip, clips).</summary>
    public IEnumerable<(int Step, int Start, int Count)> LocalMicroBatches(int clips, long position)
    {
        int steps = Steps(clips, position);
        for (int s = 0; s < steps; s++)
            for (int a = 0; a < Accumulate; a++)
            {
                long start = position + (long)s * GlobalBatch + (long)(Rank * Accumulate + a) * MicroBatch;
                if (start >= clips) break;
                yield return (s, (int)start, (int)Math.Min(MicroBatch, clips - start));
            }
    }
}
