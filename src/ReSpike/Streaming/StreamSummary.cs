namespace ReSpike.Streaming;

/// <summary>
/// A whole stream: frames in, segments run, frames dropped, latency (mean, p50, p95, max), throughput, and whether it kept
/// up: a file read as fast as possible always does (it waits for the model), a live source did when nothing was dropped.
/// </summary>
public sealed record StreamSummary(
    string Input, int Width, int Height, double FramesPerSecond, long FramesReceived, long FramesDropped, int Segments, int SegmentsComputed,
    double MeanLatencyMs, double P50LatencyMs, double P95LatencyMs, double MaxLatencyMs, double WallSeconds, double StreamSeconds,
    double ComputeSecondsPerSegment, double TotalEnergyMj, bool Live, int SourceExitCode, string? SourceError)
{
    /// <summary>Frames processed per wall-clock second.</summary>
    public double FramesPerWallSecond => WallSeconds > 0 ? (FramesReceived - FramesDropped) / WallSeconds : 0;

    /// <summary>Compute time per segment over the segment's duration in the stream: below 1 keeps real time.</summary>
    public double RealtimeFactor => ComputeSecondsPerSegment * FramesPerSecond / Math.Max(1, SegmentFrames);

    /// <summary>Frames per segment (the stride s).</summary>
    public int SegmentFrames { get; init; }

    /// <summary>
    /// Process CPU time per computed segment (all our threads; ffmpeg decodes in its own process, not counted): at one thread it
    /// depends much less than the wall time on how loaded a shared machine is (with more threads, spinning workers inflate it).
    /// </summary>
    public double CpuSecondsPerSegment { get; init; }

    /// <summary>A live source kept up when no frame was dropped.</summary>
    public bool KeptUp => FramesDropped == 0;
}
