namespace ReSpike.Video;

/// <summary>Turns ffmpeg's stderr into one short reason (its last meaningful lines, not the banner).</summary>
static class FfmpegErrors
{
    public static string Summarize(string stderr, string fallback)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Length > 0)
            .ToList();
        if (lines.Count == 0) return fallback;
        var text = string.Join("; ", lines.TakeLast(3));
        return text.Length > 400 ? text[..400] + "..." : text;
    }
}
