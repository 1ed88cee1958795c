using ReSpike.EarlyExit;

namespace ReSpike.Streaming;

/// <summary>How `respike stream` reads and runs (flags --realtime, --fps, --top, --exit-threshold, --input-size/--input-fps).</summary>
public sealed record StreamOptions
{
    /// <summary>Play a file at its own speed (ffmpeg -re), as a camera would deliver it; default: as fast as possible.</summary>
    public bool Realtime { get; init; }

    /// <summary>Resample the source to this rate; null: the rate of the checkpoint's training data (config.json), else the source's.</summary>
    public double? FramesPerSecond { get; init; }

    /// <summary>Labels reported per segment.</summary>
    public int Top { get; init; } = 5;

    /// <summary>Early exit per clip of K segments (null: a sliding window over the last K segments).</summary>
    public SegmentExit? Exit { get; init; }

    /// <summary>Raw frames on stdin: their size and rate.</summary>
    public RawFrameFormat? Raw { get; init; }

    /// <summary>Count the energy of each segment's work (op counting hooks: a few ms per segment).</summary>
    public bool CountEnergy { get; init; } = true;
}
