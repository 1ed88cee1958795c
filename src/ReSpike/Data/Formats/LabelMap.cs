namespace ReSpike.Data.Formats;

/// <summary>A label map file: one class name per line, line order = label index (mmaction2's label_map_k400.txt).</summary>
public static class LabelMap
{
    public static IReadOnlyList<string> Read(string file)
    {
        var names = AnnotationLines.Read(file).Select(l => l.Text).ToList();
        if (names.Count == 0) throw new DatasetFormatException(file, 0, "label map lists no classes");
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DatasetFormatException(file, 0, $"class '{duplicate.Key}' is listed twice");
        return names;
    }

    /// <summary>Class names for integer-labelled lists: the label map when given, else class_0..class_{n-1}.</summary>
    public static IReadOnlyList<string> OrNumbered(string? labelMap, int maxLabel) =>
        labelMap is not null ? Read(labelMap) : Enumerable.Range(0, maxLabel + 1).Select(i => $"class_{i}").ToList();
}
