namespace ReSpike.Video;

/// <summary>How to decode: optional shorter-side resize and fps resampling, and a hard time limit per file.</summary>
public sealed record DecodeOptions
{
    /// <summary>Resize so the shorter side has at most this many pixels (aspect kept, bilinear, never upscaled); null keeps the native size.</summary>
    public int? ShortSide { get; init; }

    /// <summary>Resample to this frame rate (ffmpeg's fps filter: drops/duplicates frames); null keeps every decoded frame.</summary>
    public double? FramesPerSecond { get; init; }

    /// <summary>A file that takes longer than this is killed and reported, so a bad file can never hang a run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Stop after this many frames (null: all).</summary>
    public int? MaxFrames { get; init; }

    public static DecodeOptions Default { get; } = new();

    /// <summary>Stable text for cache keys.</summary>
    public string CacheKey() => $"short={ShortSide?.ToString() ?? "native"};fps={FramesPerSecond?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "native"};max={MaxFrames?.ToString() ?? "all"}";

    public void Validate()
    {
        if (ShortSide is <= 0) throw new ArgumentException($"short side must be > 0, got {ShortSide}");
        if (FramesPerSecond is <= 0 or double.NaN) throw new ArgumentException($"fps must be > 0, got {FramesPerSecond}");
        if (MaxFrames is <= 0) throw new ArgumentException($"max frames must be > 0, got {MaxFrames}");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"timeout must be > 0, got {Timeout}");
    }
}
