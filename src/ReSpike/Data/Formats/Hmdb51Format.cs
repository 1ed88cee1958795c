namespace ReSpike.Data.Formats;

/// <summary>
/// HMDB-51 layout: root/&lt;class&gt;/&lt;video&gt;.avi with split files &lt;class&gt;_test_splitN.txt whose lines
/// are "video.avi tag" (1 train, 2 test, 0 unused). Labels index the sorted class names, as torchvision's HMDB51.
/// </summary>
public static class Hmdb51Format
{
    public static VideoDataset Load(string root, int split, DatasetSubset subset, string? annotationDir = null)
    {
        if (split is < 1 or > 3) throw new ArgumentException($"--split: HMDB-51 has splits 1-3, got {split}");
        var suffix = $"_test_split{split}.txt";
        var dir = AnnotationFolder.Find(annotationDir, root, "*" + suffix, "testTrainMulti_7030_splits", "annotations", "splits");
        // order by class name, not file name: "climb" < "climb_stairs" although "climb_stairs_test..." < "climb_test..."
        var files = Directory.EnumerateFiles(dir, "*" + suffix).OrderBy(f => Path.GetFileName(f)[..^suffix.Length], StringComparer.Ordinal).ToList();
        var classes = files.Select(f => Path.GetFileName(f)[..^suffix.Length]).ToList();
        int wanted = subset == DatasetSubset.Train ? 1 : 2;
        var entries = new List<VideoEntry>();
        for (int label = 0; label < files.Count; label++)
        {
            foreach (var (line, text) in AnnotationLines.Read(files[label]))
            {
                var fields = AnnotationLines.Fields(text);
                if (fields.Length != 2 || !int.TryParse(fields[1], out var tag) || tag is < 0 or > 2)
                    throw new DatasetFormatException(files[label], line, $"expected 'video.avi TAG' with TAG 0 (unused), 1 (train) or 2 (test), got '{text}'");
                if (tag == wanted)
                    entries.Add(new VideoEntry(Path.Combine(root, classes[label], fields[0]), label, $"{Path.GetFileName(files[label])}:{line}"));
            }
        }
        var (present, missing) = VideoDataset.CheckExists(entries);
        return new VideoDataset($"hmdb51 split {split} {subset.ToString().ToLowerInvariant()}", classes, present, missing);
    }
}
