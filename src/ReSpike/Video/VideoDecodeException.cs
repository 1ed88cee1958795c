namespace ReSpike.Video;

/// <summary>A video (or frames folder) that could not be decoded; the message names the file and the reason.</summary>
public sealed class VideoDecodeException(string file, string reason)
    : IOException($"{file}: {reason}")
{
    public string File { get; } = file;
    public string Reason { get; } = reason;
}
