namespace ReSpike.Data.Cache;

/// <summary>What a prepare pass did: newly decoded, already cached, and failed videos with reasons.</summary>
public sealed record PrepareReport(int Videos, int Decoded, int Reused, IReadOnlyList<SkippedVideo> Failed, long CacheBytes, double Seconds);
