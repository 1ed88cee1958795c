namespace ReSpike.Data.Formats;

/// <summary>
/// UCF-101 layout: root/&lt;Class&gt;/&lt;video&gt;.avi with classInd.txt ("1 ApplyEyeMakeup"),
/// trainlist0N.txt ("Class/video.avi label", labels 1-based) and testlist0N.txt ("Class/video.avi",
/// no label: the class comes from the folder). Lists may sit in root, root/ucfTrainTestlist or a given folder.
/// Labels follow classInd.txt's numbering, or with <see cref="LabelOrder.Folders"/> torchvision's (the class
/// names sorted ordinally, as the reference numbers them).
/// </summary>
public static class Ucf101Format
{
    public static VideoDataset Load(string root, int split, DatasetSubset subset, string? annotationDir = null, LabelOrder order = LabelOrder.ClassInd)
    {
        if (split is < 1 or > 3) throw new ArgumentException($"--split: UCF-101 has splits 1-3, got {split}");
        var dir = AnnotationFolder.Find(annotationDir, root, "classInd.txt", "ucfTrainTestlist", "annotations");
        var classInd = Path.Combine(dir, "classInd.txt");
        var classes = ReadClassIndex(classInd);
        var byName = classes.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var ordered = order.Apply(classes);
        // classInd index (0-based) -> label in the chosen order
        var position = ordered.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var relabel = classes.Select(n => position[n]).ToArray();
        var list = Path.Combine(dir, $"{(subset == DatasetSubset.Train ? "trainlist" : "testlist")}{split:00}.txt");
        var entries = new List<VideoEntry>();
        foreach (var (line, text) in AnnotationLines.Read(list))
        {
            var fields = AnnotationLines.Fields(text);
            if (fields.Length is < 1 or > 2) throw new DatasetFormatException(list, line, $"expected 'Class/video.avi [label]', got '{text}'");
            var rel = fields[0].Replace('\\', '/');
            var folder = rel.Contains('/') ? rel[..rel.IndexOf('/')] : null;
            int label;
            if (fields.Length == 2)
            {
                if (!int.TryParse(fields[1], out var oneBased) || oneBased < 1 || oneBased > classes.Count)
                    throw new DatasetFormatException(list, line, $"label '{fields[1]}' is not a class index 1..{classes.Count} of {classInd}");
                label = oneBased - 1;
                if (folder is not null && byName.TryGetValue(folder, out var folderLabel) && folderLabel != label)
                    throw new DatasetFormatException(list, line, $"label {oneBased} ({classes[label]}) disagrees with the folder '{folder}'");
            }
            else
            {
                if (folder is null) throw new DatasetFormatException(list, line, $"'{rel}' has no class folder and no label");
                if (!byName.TryGetValue(folder, out label))
                    throw new DatasetFormatException(list, line, $"unknown class '{folder}' (not in {classInd})");
            }
            entries.Add(new VideoEntry(Path.Combine(root, rel), relabel[label], $"{Path.GetFileName(list)}:{line}"));
        }
        var (present, missing) = VideoDataset.CheckExists(entries);
        return new VideoDataset($"ucf101 split {split} {subset.ToString().ToLowerInvariant()}", ordered, present, missing);
    }

    /// <summary>classInd.txt: "index name" per line, indices 1..N in order.</summary>
    public static IReadOnlyList<string> ReadClassIndex(string file)
    {
        var names = new List<string>();
        foreach (var (line, text) in AnnotationLines.Read(file))
        {
            var fields = AnnotationLines.Fields(text);
            if (fields.Length != 2 || !int.TryParse(fields[0], out var index))
                throw new DatasetFormatException(file, line, $"expected 'index ClassName', got '{text}'");
            if (index != names.Count + 1)
                throw new DatasetFormatException(file, line, $"class index {index} out of order (expected {names.Count + 1})");
            if (names.Contains(fields[1], StringComparer.Ordinal))
                throw new DatasetFormatException(file, line, $"class '{fields[1]}' is listed twice");
            names.Add(fields[1]);
        }
        if (names.Count == 0) throw new DatasetFormatException(file, 0, "no classes listed");
        return names;
    }
}
