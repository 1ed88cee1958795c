namespace ReSpike.Data.Formats;

/// <summary>
/// Class-per-folder layout: root/&lt;class&gt;/&lt;video&gt;. With root/train and root/test (or root/val) the
/// split is those folders; otherwise a fixed rule holds out every 5th video of each class (sorted by
/// name) for test, so the split never depends on a seed.
/// </summary>
public static class FolderFormat
{
    public const int HoldOutEvery = 5;

    public static VideoDataset Load(string root, DatasetSubset subset)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--root: folder not found: {root}");
        var train = Path.Combine(root, "train");
        var test = new[] { "test", "val" }.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
        if (Directory.Exists(train) && test is not null)
        {
            var folder = subset == DatasetSubset.Train ? train : test;
            var classes = ClassFolders(train);
            var entries = Videos(folder, classes).ToList();
            return new VideoDataset($"folder {Path.GetFileName(folder)}", classes, entries);
        }
        var all = ClassFolders(root);
        var picked = Videos(root, all)
            .GroupBy(v => v.Label)
            .SelectMany(g => g.Where((_, i) => (i % HoldOutEvery == HoldOutEvery - 1) == (subset == DatasetSubset.Test)))
            .ToList();
        return new VideoDataset($"folder {subset.ToString().ToLowerInvariant()} (every {HoldOutEvery}th video held out)", all, picked);
    }

    static List<string> ClassFolders(string root)
    {
        var classes = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Select(n => n!)
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0) throw new InvalidDataException($"--root: {root} has no class folders (expected root/<class>/<video>)");
        return classes;
    }

    static IEnumerable<VideoEntry> Videos(string folder, IReadOnlyList<string> classes)
    {
        for (int label = 0; label < classes.Count; label++)
        {
            var dir = Path.Combine(folder, classes[label]);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir).Where(VideoFiles.IsVideo).Order(StringComparer.Ordinal))
                yield return new VideoEntry(file, label);
        }
    }
}
