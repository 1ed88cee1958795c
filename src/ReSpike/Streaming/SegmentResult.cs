using ReSpike.Training;

namespace ReSpike.Streaming;

/// <summary>
/// What the stream reports after each segment (s frames): where it ends in the stream, the window's top labels, how
/// long after its last frame arrived the prediction was ready, the energy of the work this segment ran, and the
/// frames dropped so far. Under early exit a segment after its clip's exit is <see cref="Skipped"/> (no work, 0 mJ).
/// </summary>
/// <param name="Segment">0, 1, 2, ... in the order the segments completed.</param>
/// <param name="TSeconds">Stream time at the end of the segment (last frame index + 1) / fps.</param>
/// <param name="WindowSegments">Segments the prediction averages (up to K = T/s; fewer at the start, or under early exit).</param>
/// <param name="Queued">Frames waiting to be processed when the prediction was ready (backlog, a lag of Queued / fps).</param>
public sealed record SegmentResult(int Segment, double TSeconds, IReadOnlyList<LabelProbability> Top, double LatencyMs, double EnergyMj,
                                   long DroppedFrames, int WindowSegments, bool Skipped, bool Exited, int Queued, float[] Probabilities);
