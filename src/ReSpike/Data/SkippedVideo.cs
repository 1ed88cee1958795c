namespace ReSpike.Data;

/// <summary>A video left out of a run, and why (reported in the run's summary).</summary>
public sealed record SkippedVideo(string Path, string Reason);
