namespace ReSpike.Tests.Data;

/// <summary>Writes dataset layouts for the format tests: annotation files (CRLF where the real ones use it) and placeholder videos.</summary>
static class DatasetFiles
{
    public static string Write(string root, string relative, params string[] lines) => WriteText(root, relative, string.Join("\n", lines) + "\n");

    public static string WriteCrlf(string root, string relative, params string[] lines) => WriteText(root, relative, string.Join("\r\n", lines) + "\r\n");

    static string WriteText(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Placeholder files standing in for videos (the format readers only check that they exist).</summary>
    public static void Touch(string root, params string[] relatives)
    {
        foreach (var r in relatives)
        {
            var path = Path.Combine(root, r);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [0]);
        }
    }
}
