namespace ReSpike.Data.Loading;

/// <summary>Batching and parallelism of a clip loader. Same seed => same order, clips and augmentation.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 8;
    public bool Shuffle { get; init; }
    public int Seed { get; init; }
    public bool DropLast { get; init; }

    /// <summary>Batches prepared ahead of the consumer, each on its own worker.</summary>
    public int Prefetch { get; init; } = 2;
}
