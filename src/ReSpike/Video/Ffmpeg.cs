using ReSpike.Runtime;

namespace ReSpike.Video;

/// <summary>Locates Debian's ffmpeg/ffprobe once; a missing tool is one clear message saying how to install it.</summary>
public static class Ffmpeg
{
    static readonly Lazy<string?> FfmpegPath = new(() => Locate("ffmpeg"));
    static readonly Lazy<string?> FfprobePath = new(() => Locate("ffprobe"));

    /// <summary>RESPIKE_FFMPEG_DIR overrides PATH (a folder holding ffmpeg and ffprobe).</summary>
    public const string DirectoryVariable = "RESPIKE_FFMPEG_DIR";

    public static string FfmpegExecutable => FfmpegPath.Value ?? throw NotFound("ffmpeg");
    public static string FfprobeExecutable => FfprobePath.Value ?? throw NotFound("ffprobe");
    public static bool IsAvailable => FfmpegPath.Value is not null && FfprobePath.Value is not null;

    static string? Locate(string name)
    {
        var dir = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(dir))
        {
            var candidate = Path.Combine(dir, name);
            return File.Exists(candidate) ? candidate : null;
        }
        return ExternalTool.Find(name);
    }

    static FfmpegNotFoundException NotFound(string tool) => new(
        $"{tool} was not found on PATH{(Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? $" or in {DirectoryVariable}={d}" : "")}. " +
        "Video decoding uses Debian's ffmpeg: install it with 'sudo apt-get install ffmpeg' " +
        $"(or point {DirectoryVariable} at a folder holding ffmpeg and ffprobe).");
}

public sealed class FfmpegNotFoundException(string message) : InvalidOperationException(message);
