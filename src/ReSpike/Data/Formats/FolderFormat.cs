namespace ReSpike.Data.Formats;

/// <summary>
/// Class-per-folder layout: root/&lt;class&gt;/&lt;video&gt; (or images, <see cref="Images.ImageFolderDataset"/>).
/// With root/train and root/test (or root/val, ImageNet's name) the split is those folders and the classes are
/// train's (a test class folder train/ lacks is not read); otherwise a fixed rule holds out every 5th file of each class (sorted by name) for test, so the split
/// never depends on a seed. Class indices are the class folders' names sorted ordinally (torchvision's ImageFolder).
/// </summary>
public static class FolderFormat
{
    public const int HoldOutEvery = 5;

    public static VideoDataset Load(string root, DatasetSubset subset) => Load(root, subset, VideoFiles.IsVideo, "video", "folder");

    /// <summary>
    /// The layout for files that <paramref name="isMember"/> accepts (others in class folders are ignored);
    /// <paramref name="item"/> names them in errors ("video", "image"), <paramref name="kind"/> prefixes the dataset's name.
    /// </summary>
    internal static VideoDataset Load(string root, DatasetSubset subset, Func<string, bool> isMember, string item, string kind)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--root: folder not found: {root}");
        var train = Path.Combine(root, "train");
        var test = new[] { "test", "val" }.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
        if (Directory.Exists(train) && test is not null)
        {
            var folder = subset == DatasetSubset.Train ? train : test;
            var classes = ClassFolders(train, item);   // a test class folder that train/ lacks is not read
            var entries = Files(folder, classes, isMember).ToList();
            return new VideoDataset($"{kind} {Path.GetFileName(folder)}", classes, entries);
        }
        var all = ClassFolders(root, item);
        var picked = Files(root, all, isMember)
            .GroupBy(v => v.Label)
            .SelectMany(g => g.Where((_, i) => (i % HoldOutEvery == HoldOutEvery - 1) == (subset == DatasetSubset.Test)))
            .ToList();
        return new VideoDataset($"{kind} {subset.ToString().ToLowerInvariant()} (every {HoldOutEvery}th {item} held out)", all, picked);
    }

    static List<string> ClassFolders(string root, string item)
    {
        var classes = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Select(n => n!)
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0) throw new InvalidDataException($"--root: {root} has no class folders (expected root/<class>/<{item}>)");
        return classes;
    }

    static IEnumerable<VideoEntry> Files(string folder, IReadOnlyList<string> classes, Func<string, bool> isMember)
    {
        for (int label = 0; label < classes.Count; label++)
        {
            var dir = Path.Combine(folder, classes[label]);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir).Where(isMember).Order(StringComparer.Ordinal))
                yield return new VideoEntry(file, label);
        }
    }
}
