namespace ReSpike.Data;

/// <summary>Which files count as videos when a folder is searched.</summary>
public static class VideoFiles
{
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".avi", ".mp4", ".mkv", ".webm", ".mov", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp", ".ogv",
    };

    public static bool IsVideo(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Files as given (kept even if not video-named, so they get checked); folders searched recursively, sorted.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var result = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p) && !LooksLikeFramesFolder(p))
                result.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(IsVideo).Order(StringComparer.Ordinal));
            else
                result.Add(p);
        }
        return result;
    }

    /// <summary>A folder of images and no videos (a stray thumbnail beside videos does not make a frames folder).</summary>
    static bool LooksLikeFramesFolder(string dir)
    {
        var files = Directory.EnumerateFiles(dir).ToList();
        return !files.Any(IsVideo) && files.Count(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) >= 2;
    }
}
