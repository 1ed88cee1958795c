using System.Globalization;
using System.Text.RegularExpressions;

namespace ReSpike.Video;

/// <summary>
/// ffmpeg input arguments for a video file or for a rawframes folder (mmaction2's
/// `img_00001.jpg` naming, or any `prefix + zero-padded number + .jpg/.png` sequence).
/// </summary>
public static partial class VideoInput
{
    /// <summary>Frame rate assumed for a frames folder (it has none of its own).</summary>
    public const double FramesFolderRate = 30;

    public static IReadOnlyList<string> Arguments(string path)
    {
        if (Directory.Exists(path))
        {
            var (pattern, start) = FramesPattern(path);
            return ["-f", "image2", "-framerate", FramesFolderRate.ToString(CultureInfo.InvariantCulture),
                    "-start_number", start.ToString(CultureInfo.InvariantCulture), "-i", pattern];
        }
        if (!File.Exists(path)) throw new VideoDecodeException(path, "file not found");
        var length = new FileInfo(path).Length;
        if (length == 0) throw new VideoDecodeException(path, "file is empty (0 bytes)");
        // "file:" stops ffmpeg from reading a colon in the name as a protocol
        return ["-i", "file:" + Path.GetFullPath(path)];
    }

    /// <summary>The printf pattern and first number of the image sequence in a frames folder.</summary>
    public static (string Pattern, int Start) FramesPattern(string folder)
    {
        var names = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Select(n => (Name: n!, Match: FrameName().Match(n!)))
            .Where(x => x.Match.Success)
            .ToList();
        if (names.Count == 0)
            throw new VideoDecodeException(folder, "frames folder holds no numbered .jpg/.png images (expected e.g. img_00001.jpg)");
        var groups = names.GroupBy(x => (Prefix: x.Match.Groups[1].Value, Digits: x.Match.Groups[2].Value.Length, Ext: x.Match.Groups[3].Value))
            // mmaction2 rawframes folders may also hold flow_x_/flow_y_ images: RGB "img_" frames win, then the largest run, then by name
            .OrderByDescending(g => g.Key.Prefix.Equals("img_", StringComparison.OrdinalIgnoreCase))
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key.Prefix, StringComparer.Ordinal)
            .First();
        int start = groups.Min(x => int.Parse(x.Match.Groups[2].Value, CultureInfo.InvariantCulture));
        // the whole path is a printf pattern for ffmpeg's image2 reader: a literal % must be doubled
        var pattern = Path.Combine(Path.GetFullPath(folder).Replace("%", "%%"), $"{groups.Key.Prefix.Replace("%", "%%")}%0{groups.Key.Digits}d{groups.Key.Ext}");
        return (pattern, start);
    }

    [GeneratedRegex(@"^(.*?)(\d+)(\.(?:jpg|jpeg|png))$", RegexOptions.IgnoreCase)]
    private static partial Regex FrameName();
}
