using System.Runtime.ExceptionServices;
using ReSpike.Runtime;

namespace ReSpike.Video;

/// <summary>Locates Debian's ffmpeg/ffprobe once; a missing tool is one clear message saying how to install it.</summary>
public static class Ffmpeg
{
    /// <summary>The tools found for one value of RESPIKE_FFMPEG_DIR (located again when the variable changes).</summary>
    static (string? Directory, string? Ffmpeg, string? Ffprobe)? _located;
    static readonly Lock LocateLock = new();

    /// <summary>Test seam: tool paths to use instead of the located ones (a null path = that tool is missing).</summary>
    static (string? Ffmpeg, string? Ffprobe)? _override;

    /// <summary>RESPIKE_FFMPEG_DIR overrides PATH (a folder holding ffmpeg and ffprobe).</summary>
    public const string DirectoryVariable = "RESPIKE_FFMPEG_DIR";

    /// <summary>The ffmpeg the decoder runs; throws the install hint when it is missing.</summary>
    public static string FfmpegExecutable => Tools().Ffmpeg ?? throw NotFound("ffmpeg");
    /// <summary>The ffprobe the decoder runs; throws the install hint when it is missing.</summary>
    public static string FfprobeExecutable => Tools().Ffprobe ?? throw NotFound("ffprobe");
    /// <summary>The ffmpeg the decoder would run (RESPIKE_FFMPEG_DIR, else PATH), or null when it is missing.</summary>
    public static string? FfmpegOrNull => Tools().Ffmpeg;
    /// <summary>True when both ffmpeg and ffprobe are found.</summary>
    public static bool IsAvailable => Tools() is { Ffmpeg: not null, Ffprobe: not null };

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

    static (string? Ffmpeg, string? Ffprobe) Tools()
    {
        if (_override is { } o) return o;
        var dir = Environment.GetEnvironmentVariable(DirectoryVariable);
        lock (LocateLock)
        {
            if (_located is not { } located || located.Directory != dir)
                _located = located = (dir, Locate("ffmpeg", dir), Locate("ffprobe", dir));
            return (located.Ffmpeg, located.Ffprobe);
        }
    }

    static string? Locate(string name, string? dir)
    {
        if (!string.IsNullOrEmpty(dir))
        {
            var candidate = Path.Combine(dir, name);
            return File.Exists(candidate) ? candidate : null;
        }
        return ExternalTool.Find(name);
    }

    internal static FfmpegNotFoundException NotFound(string tool) => new(
        // a set RESPIKE_FFMPEG_DIR replaces PATH: say where we actually looked
        $"{tool} was not found {(Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? $"in {DirectoryVariable}={d}" : "on PATH")}. " +
        "Video decoding uses Debian's ffmpeg: install it with 'sudo apt-get install ffmpeg' " +
        $"(or point {DirectoryVariable} at a folder holding ffmpeg and ffprobe).");
}

/// <summary>ffmpeg or ffprobe is missing; the message says how to install it or where it was looked for.</summary>
public sealed class FfmpegNotFoundException(string message) : InvalidOperationException(message);
