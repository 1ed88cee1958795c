using System.Runtime.ExceptionServices;
using ReSpike.Runtime;

namespace ReSpike.Video;

/// <summary>Locates Debian's ffmpeg/ffprobe once; a missing tool is one clear message saying how to install it.</summary>
public static class Ffmpeg
{
    static readonly Lazy<string?> FfmpegPath = new(() => Locate("ffmpeg"));
    static readonly Lazy<string?> FfprobePath = new(() => Locate("ffprobe"));

    /// <summary>Test seam: tool paths to use instead of the located ones (a null path = that tool is missing).</summary>
    static (string? Ffmpeg, string? Ffprobe)? _override;

    /// <summary>RESPIKE_FFMPEG_DIR overrides PATH (a folder holding ffmpeg and ffprobe).</summary>
    public const string DirectoryVariable = "RESPIKE_FFMPEG_DIR";

    public static string FfmpegExecutable => (_override is { } o ? o.Ffmpeg : FfmpegPath.Value) ?? throw NotFound("ffmpeg");
    public static string FfprobeExecutable => (_override is { } o ? o.Ffprobe : FfprobePath.Value) ?? throw NotFound("ffprobe");
    public static bool IsAvailable => _override is { } o ? o.Ffmpeg is not null && o.Ffprobe is not null
        : FfmpegPath.Value is not null && FfprobePath.Value is not null;

    /// <summary>Throws the one clear "not found, install it with ..." error when either tool is missing.</summary>
    public static void EnsureAvailable()
    {
        _ = FfprobeExecutable;
        _ = FfmpegExecutable;
    }

    /// <summary>
    /// A parallel loop over videos wraps a missing tool once per video in an AggregateException;
    /// rethrow it once, alone, so the user sees one message saying how to install ffmpeg.
    /// </summary>
    internal static void RethrowIfMissing(AggregateException e)
    {
        if (e.Flatten().InnerExceptions.OfType<FfmpegNotFoundException>().FirstOrDefault() is { } missing)
            ExceptionDispatchInfo.Capture(missing).Throw();
    }

    /// <summary>Test seam: use these executables (null = missing) until the result is disposed.</summary>
    internal static IDisposable OverrideTools(string? ffmpeg, string? ffprobe)
    {
        var previous = _override;
        _override = (ffmpeg, ffprobe);
        return new Restore(() => _override = previous);
    }

    sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

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

    internal static FfmpegNotFoundException NotFound(string tool) => new(
        $"{tool} was not found on PATH{(Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? $" or in {DirectoryVariable}={d}" : "")}. " +
        "Video decoding uses Debian's ffmpeg: install it with 'sudo apt-get install ffmpeg' " +
        $"(or point {DirectoryVariable} at a folder holding ffmpeg and ffprobe).");
}

public sealed class FfmpegNotFoundException(string message) : InvalidOperationException(message);
