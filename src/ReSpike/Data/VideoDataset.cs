namespace ReSpike.Data;

/// <summary>
/// A labelled list of videos with class names, plus the files its annotations name that do not
/// exist (listed before anything starts, never silently dropped).
/// </summary>
public sealed class VideoDataset
{
    public VideoDataset(string name, IReadOnlyList<string> classNames, IReadOnlyList<VideoEntry> videos, IReadOnlyList<string>? missing = null)
    {
        if (classNames.Count == 0) throw new ArgumentException($"dataset '{name}' has no classes");
        foreach (var v in videos)
            if ((uint)v.Label >= (uint)classNames.Count)
                throw new ArgumentException($"dataset '{name}': {v.Path} has label {v.Label}, outside 0..{classNames.Count - 1}");
        Name = name;
        ClassNames = classNames;
        Videos = videos;
        Missing = missing ?? [];
    }

    public string Name { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<VideoEntry> Videos { get; }
    public IReadOnlyList<string> Missing { get; }
    public int Count => Videos.Count;

    /// <summary>"N file(s) missing: a, b, c, ..." or null when nothing is missing.</summary>
    public string? MissingSummary(int show = 5) => Missing.Count == 0 ? null
        : $"{Missing.Count} file(s) listed by '{Name}' do not exist: {string.Join(", ", Missing.Take(show))}{(Missing.Count > show ? ", ..." : "")}";

    public IReadOnlyList<int> CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (var v in Videos) counts[v.Label]++;
        return counts;
    }

    /// <summary>Splits entries into present and missing (paths as listed), for the format readers.</summary>
    internal static (List<VideoEntry> Present, List<string> Missing) CheckExists(IEnumerable<VideoEntry> entries)
    {
        var present = new List<VideoEntry>();
        var missing = new List<string>();
        foreach (var e in entries)
        {
            if (File.Exists(e.Path) || Directory.Exists(e.Path)) present.Add(e);
            else missing.Add(e.Path);
        }
        return (present, missing);
    }
}
