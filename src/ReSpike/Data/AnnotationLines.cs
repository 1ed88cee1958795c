namespace ReSpike.Data;

/// <summary>
/// Reads annotation/split files: CRLF or LF, blank lines skipped, 1-based line numbers kept for errors.
/// No comment syntax: real names start with '#' (HMDB-51's "#2_Gum_chew_h_nm_np1_fr_med_0.avi").
/// </summary>
public static class AnnotationLines
{
    public static IEnumerable<(int Line, string Text)> Read(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"annotation file not found: {file}", file);
        int number = 0;
        foreach (var raw in File.ReadLines(file))
        {
            number++;
            var text = raw.Trim().TrimStart('\uFEFF');
            if (text.Length == 0) continue;
            yield return (number, text);
        }
    }

    /// <summary>Whitespace-separated fields of a line.</summary>
    public static string[] Fields(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
