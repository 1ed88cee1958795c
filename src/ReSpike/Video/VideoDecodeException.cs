namespace ReSpike.Video;

/// <summary>A video (or frames folder) that could not be decoded; the message names the file and the reason.</summary>
public sealed class VideoDecodeException(string file, string reason, bool transient = false)
    : IOException($"{file}: {reason}")
{
    public string File { get; } = file;
    public string Reason { get; } = reason;

    /// <summary>The failure may not happen again (a timeout on a busy machine, ffmpeg not starting): not a verdict on the file.</summary>
    public bool Transient { get; } = transient;
}
