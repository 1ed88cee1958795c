using System.Globalization;
using ReSpike.Runtime;

namespace ReSpike.Video;

/// <summary>
/// Decodes a video file (or a frames folder) through ffmpeg, streaming packed RGB24 over a pipe.
/// The frame count is what actually decodes (AVI headers over-count packed B-frames), every
/// decoded frame is kept (-fps_mode passthrough) unless fps resampling is asked for, and a
/// timer kills ffmpeg when a file exceeds its time limit.
/// </summary>
public static class VideoDecoder
{
    public static FrameStack Decode(string path, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        options.Validate();
        var info = VideoProbe.Inspect(path, options.Timeout);
        var (width, height) = OutputSize(info.Width, info.Height, options.ShortSide);
        using var sink = new MemoryStream();
        Run(path, width, height, options, sink);
        int frameBytes = width * height * 3;
        if (sink.Length % frameBytes != 0)
            throw new VideoDecodeException(path, $"ffmpeg returned {sink.Length} bytes, not a whole number of {width}x{height} frames");
        int count = checked((int)(sink.Length / frameBytes));
        if (count == 0) throw new VideoDecodeException(path, "no frames could be decoded");
        var bytes = sink.TryGetBuffer(out var segment) && segment.Offset == 0 && segment.Array!.Length == sink.Length
            ? segment.Array
            : sink.ToArray();
        return new FrameStack(count, height, width, bytes);
    }

    /// <summary>Number of frames that decode (not the header's count), decoding at a tiny size to keep the pipe cheap.</summary>
    public static int CountFrames(string path, TimeSpan? timeout = null) =>
        CountFrames(path, new DecodeOptions { Timeout = timeout ?? DecodeOptions.Default.Timeout });

    /// <summary>Frames that <see cref="Decode"/> with these options returns (fps resampling and MaxFrames change the count; the size does not).</summary>
    public static int CountFrames(string path, DecodeOptions options)
    {
        options.Validate();
        // scaling never drops or adds frames; 16x16 gray keeps the pipe to 256 bytes per frame
        var counter = new CountingStream();
        Run(path, 16, 16, options, counter, pixelFormat: "gray");
        if (counter.Length % 256 != 0) throw new VideoDecodeException(path, "ffmpeg returned a partial frame");
        return checked((int)(counter.Length / 256));
    }

    /// <summary>
    /// Output size for a shorter-side resize, keeping the aspect ratio (rounded to whole pixels).
    /// Never upscales: a source whose shorter side is already at most the target keeps its size
    /// (the crop transforms resize anyway, and the cache stays small).
    /// </summary>
    public static (int Width, int Height) OutputSize(int width, int height, int? shortSide)
    {
        if (shortSide is not int side || Math.Min(width, height) <= side) return (width, height);
        if (width <= height) return (side, Math.Max(1, (int)Math.Round((double)height * side / width)));
        return (Math.Max(1, (int)Math.Round((double)width * side / height)), side);
    }

    static void Run(string path, int width, int height, DecodeOptions options, Stream sink, string pixelFormat = "rgb24")
    {
        var args = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
        args.AddRange(VideoInput.Arguments(path));
        args.AddRange(OutputArguments(width, height, options.FramesPerSecond, options.MaxFrames, pixelFormat));

        ToolRun run;
        try { run = ExternalTool.Run(Ffmpeg.FfmpegExecutable, args, sink, options.Timeout); }
        catch (InvalidOperationException e) when (e is not FfmpegNotFoundException) { throw new VideoDecodeException(path, "could not start ffmpeg", transient: true); }
        if (run.TimedOut) throw new VideoDecodeException(path, $"decoding took longer than {options.Timeout.TotalSeconds:0} s and was stopped", transient: true);
        if (run.ExitCode != 0)
            throw new VideoDecodeException(path, FfmpegErrors.Summarize(run.StdErr, $"ffmpeg failed with exit code {run.ExitCode}"));
    }

    /// <summary>
    /// ffmpeg's output arguments after the input: the first video stream, optionally resampled to <paramref name="fps"/>,
    /// scaled (bilinear) to width x height, raw frames on stdout. The stream reader uses them too, so a streamed frame
    /// is the same bytes as a decoded one.
    /// </summary>
    internal static IReadOnlyList<string> OutputArguments(int width, int height, double? fps, int? maxFrames = null, string pixelFormat = "rgb24")
    {
        var args = new List<string> { "-map", "0:v:0", "-an", "-sn", "-dn" };
        var filters = new List<string>();
        if (fps is double rate) filters.Add("fps=" + rate.ToString("R", CultureInfo.InvariantCulture));
        filters.Add($"scale={width}:{height}:flags=bilinear");
        args.AddRange(["-vf", string.Join(",", filters)]);
        if (fps is null) args.AddRange(["-fps_mode", "passthrough"]);
        if (maxFrames is int max) args.AddRange(["-frames:v", max.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-pix_fmt", pixelFormat, "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    /// <summary>A write-only stream that only counts bytes.</summary>
    sealed class CountingStream : Stream
    {
        long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
