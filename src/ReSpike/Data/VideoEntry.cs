namespace ReSpike.Data;

/// <summary>
/// One labelled video of a dataset: a file, a frames folder, or a synthetic id. <paramref name="Origin"/>
/// says where it was listed (e.g. "trainlist01.txt:12") so errors can point at the line.
/// </summary>
public sealed record VideoEntry(string Path, int Label, string? Origin = null)
{
    /// <summary>Known frame count (frames folders listed with one, synthetic videos); null means decode to find out.</summary>
    public int? FrameCount { get; init; }
}
