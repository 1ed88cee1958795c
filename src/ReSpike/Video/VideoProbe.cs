using System.Globalization;
using System.Text.Json;
using ReSpike.Runtime;

namespace ReSpike.Video;

/// <summary>Reads stream headers with ffprobe (fast: no decoding).</summary>
public static class VideoProbe
{
    public static VideoStreamInfo Inspect(string path, TimeSpan? timeout = null)
    {
        var args = new List<string> { "-v", "error", "-select_streams", "v:0", "-show_streams", "-show_format", "-of", "json" };
        args.AddRange(VideoInput.Arguments(path));
        (int code, string stdout, string stderr) result;
        try
        {
            result = ExternalTool.Run(Ffmpeg.FfprobeExecutable, args, timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            throw new VideoDecodeException(path, $"ffprobe timed out ({e.Message})", transient: true);
        }
        if (result.code != 0) throw new VideoDecodeException(path, FfmpegErrors.Summarize(result.stderr, "ffprobe could not read it"));
        return Parse(path, result.stdout);
    }

    internal static VideoStreamInfo Parse(string path, string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
            throw new VideoDecodeException(path, "no video stream (is it a video file?)");
        var s = streams[0];
        int width = s.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        int height = s.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (width <= 0 || height <= 0) throw new VideoDecodeException(path, "video stream has no frame size (unsupported or broken stream)");
        // phone videos carry a display rotation that ffmpeg applies when decoding (autorotate): report the displayed size
        if (Math.Abs(Rotation(s)) % 180 == 90) (width, height) = (height, width);
        var rateText = Str(s, "avg_frame_rate") is { } avg && avg != "0/0" ? avg : Str(s, "r_frame_rate") ?? "0/0";
        long? frames = long.TryParse(Str(s, "nb_frames"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        double? duration = ParseDouble(Str(s, "duration"))
            ?? (doc.RootElement.TryGetProperty("format", out var fmt) ? ParseDouble(Str(fmt, "duration")) : null);
        return new VideoStreamInfo(width, height, ParseRate(rateText), rateText, Str(s, "codec_name") ?? "unknown", frames, duration);
    }

    /// <summary>Display rotation in degrees: the display matrix side data, or the older "rotate" tag.</summary>
    static int Rotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var data in list.EnumerateArray())
                if (data.TryGetProperty("rotation", out var r) && r.ValueKind == JsonValueKind.Number) return (int)Math.Round(r.GetDouble());
        return stream.TryGetProperty("tags", out var tags) && ParseDouble(Str(tags, "rotate")) is double t ? (int)Math.Round(t) : 0;
    }

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString() : null;

    static double? ParseDouble(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>"30000/1001" -> 29.97; "0/0" -> 0.</summary>
    public static double ParseRate(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den != 0)
            return num / den;
        return ParseDouble(text) ?? 0;
    }
}
