using System.Globalization;
using System.Text.RegularExpressions;
using ReSpike.Runtime;
using ReSpike.Video;

namespace ReSpike.Streaming;

/// <summary>Where a stream's frames come from.</summary>
public enum StreamSourceKind
{
    /// <summary>A video file, played as fast as possible or at its own speed (--realtime).</summary>
    File,
    /// <summary>A network stream: rtsp://, rtmp://, http(s)://, udp://, tcp://, srt://.</summary>
    Url,
    /// <summary>A V4L2 capture device such as /dev/video0.</summary>
    Device,
    /// <summary>Raw RGB24 frames on standard input ("-").</summary>
    Stdin,
}

/// <summary>
/// A `respike stream --input` value and the ffmpeg input arguments that read it. Problems found before ffmpeg runs
/// (missing file, no such device, unsupported URL scheme) are <see cref="StreamSourceException"/>s naming the input.
/// </summary>
public sealed partial record StreamSource(StreamSourceKind Kind, string Location)
{
    /// <summary>URL schemes ffmpeg reads live streams from.</summary>
    public static IReadOnlyList<string> UrlSchemes { get; } = ["rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt"];

    /// <summary>How long a network source may stay silent (connect or read) before it counts as unreachable.</summary>
    public static TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads --input: "-" (stdin), scheme://... (URL), /dev/... (device), else a file.</summary>
    public static StreamSource Parse(string input)
    {
        if (string.IsNullOrWhiteSpace(input)) throw new StreamSourceException("--input: empty; give a video file, a URL (rtsp://, http://), a device (/dev/video0) or - for raw frames on stdin");
        if (input == "-") return new(StreamSourceKind.Stdin, input);
        if (Scheme().Match(input) is { Success: true } m)
        {
            var scheme = m.Groups[1].Value.ToLowerInvariant();
            if (!UrlSchemes.Contains(scheme))
                throw new StreamSourceException($"--input {input}: unsupported URL scheme '{scheme}://' (supported: {string.Join(", ", UrlSchemes.Select(s => s + "://"))})");
            return new(StreamSourceKind.Url, input);
        }
        if (input.StartsWith("/dev/", StringComparison.Ordinal))
        {
            if (!System.IO.File.Exists(input) && !Directory.Exists(input))
            {
                var present = Directory.Exists("/dev") ? Directory.GetFiles("/dev", "video*").Order().ToList() : [];
                throw new StreamSourceException($"--input {input}: no such device ({(present.Count == 0 ? "this machine has no /dev/video* camera" : "cameras here: " + string.Join(", ", present))})");
            }
            return new(StreamSourceKind.Device, input);
        }
        if (Directory.Exists(input)) throw new StreamSourceException($"--input {input}: is a folder; give a video file");
        if (!System.IO.File.Exists(input)) throw new StreamSourceException($"--input {input}: file not found ({Path.GetFullPath(input)})");
        if (new FileInfo(input).Length == 0) throw new StreamSourceException($"--input {input}: file is empty (0 bytes)");
        return new(StreamSourceKind.File, Path.GetFullPath(input));
    }

    /// <summary>A live source delivers frames at its own pace whether or not we keep up (frames are then dropped, and counted).</summary>
    public bool IsLive(bool realtime) => Kind is StreamSourceKind.Url or StreamSourceKind.Device || realtime;

    /// <summary>ffmpeg's input arguments (with -re to play a file at its own speed); <paramref name="raw"/> describes stdin frames.</summary>
    public IReadOnlyList<string> InputArguments(bool realtime, RawFrameFormat? raw = null)
    {
        var args = new List<string>();
        if (realtime && Kind is StreamSourceKind.File or StreamSourceKind.Stdin) args.Add("-re");
        string micros = ((long)NetworkTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        switch (Kind)
        {
            case StreamSourceKind.File:
                args.AddRange(["-i", "file:" + Location]);
                break;
            case StreamSourceKind.Url:
                // rtsp's own socket timeout; every other protocol's read/write timeout (else a dead host hangs for minutes)
                args.AddRange(Location.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) ? ["-timeout", micros] : ["-rw_timeout", micros]);
                args.AddRange(["-i", Location]);
                break;
            case StreamSourceKind.Device:
                args.AddRange(["-f", "v4l2", "-i", Location]);
                break;
            case StreamSourceKind.Stdin:
                var f = raw ?? throw new ArgumentException("raw frames on stdin need their size and rate (--input-size, --input-fps)");
                args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", $"{f.Width}x{f.Height}",
                               "-framerate", f.FramesPerSecond.ToString("R", CultureInfo.InvariantCulture), "-i", "pipe:0"]);
                break;
        }
        return args;
    }

    /// <summary>The source's frame size and rate from ffprobe (stdin: the given raw format); fails naming the input when it cannot be opened.</summary>
    public VideoStreamInfo Probe(RawFrameFormat? raw = null)
    {
        if (Kind == StreamSourceKind.Stdin)
        {
            var f = raw ?? throw new ArgumentException("raw frames on stdin need their size and rate (--input-size, --input-fps)");
            return new VideoStreamInfo(f.Width, f.Height, f.FramesPerSecond, f.FramesPerSecond.ToString(CultureInfo.InvariantCulture), "rawvideo", null, null);
        }
        var args = new List<string> { "-v", "error", "-select_streams", "v:0", "-show_streams", "-show_format", "-of", "json" };
        args.AddRange(InputArguments(realtime: false));
        (int Code, string Out, string Err) result;
        try { result = ExternalTool.Run(Ffmpeg.FfprobeExecutable, args, NetworkTimeout + TimeSpan.FromSeconds(20)); }
        catch (TimeoutException) { throw new StreamSourceException($"--input {Location}: no answer within {NetworkTimeout.TotalSeconds + 20:0} s ({What} unreachable?)"); }
        if (result.Code != 0)
            throw new StreamSourceException($"--input {Location}: cannot open the {What}: {FfmpegErrors.Summarize(result.Err, $"ffprobe failed with exit code {result.Code}")}");
        try { return VideoProbe.Parse(Location, result.Out); }
        catch (VideoDecodeException e) { throw new StreamSourceException($"--input {Location}: {e.Reason}"); }
    }

    string What => Kind switch { StreamSourceKind.Url => "stream", StreamSourceKind.Device => "device", _ => "file" };

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex Scheme();
}

/// <summary>Size and rate of raw RGB24 frames piped to stdin.</summary>
public sealed record RawFrameFormat(int Width, int Height, double FramesPerSecond)
{
    /// <summary>"WxH" → (W, H); errors name --input-size.</summary>
    public static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w > 0 && h > 0) return (w, h);
        throw new ArgumentException($"--input-size: '{text}' is not WIDTHxHEIGHT (e.g. 160x120)");
    }
}
