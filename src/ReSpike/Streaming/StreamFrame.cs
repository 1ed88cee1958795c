namespace ReSpike.Streaming;

/// <summary>One decoded frame: its number in the stream (0, 1, ...; a gap means frames were dropped), packed RGB24, and when it arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
public sealed record StreamFrame(long Index, byte[] Rgb, long ArrivalTicks);
