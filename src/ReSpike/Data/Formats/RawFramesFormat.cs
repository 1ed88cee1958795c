namespace ReSpike.Data.Formats;

/// <summary>
/// mmaction2 rawframes: an annotation file of "frame_dir total_frames label" lines, frames in
/// root/frame_dir/img_00001.jpg ... (any zero-padded numbered .jpg/.png sequence).
/// </summary>
public static class RawFramesFormat
{
    public static VideoDataset Load(string root, string annotation, string? labelMap = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--root: folder not found: {root}");
        var rows = new List<VideoEntry>();
        foreach (var (line, text) in AnnotationLines.Read(annotation))
        {
            var fields = AnnotationLines.Fields(text);
            if (fields.Length != 3 || !int.TryParse(fields[1], out var frames) || frames < 1 || !int.TryParse(fields[2], out var label) || label < 0)
                throw new DatasetFormatException(annotation, line, $"expected 'frame_dir total_frames label' (frames >= 1, label >= 0), got '{text}'");
            rows.Add(new VideoEntry(Path.Combine(root, fields[0]), label, $"{Path.GetFileName(annotation)}:{line}") { FrameCount = frames });
        }
        if (rows.Count == 0) throw new DatasetFormatException(annotation, 0, "annotation names no frame folders");
        var classes = LabelMap.OrNumbered(labelMap, rows.Max(r => r.Label));
        var bad = rows.FirstOrDefault(r => r.Label >= classes.Count);
        if (bad is not null) throw new DatasetFormatException(annotation, int.Parse(bad.Origin!.Split(':')[^1]), $"label {bad.Label} is outside the {classes.Count} classes of {labelMap}");
        var present = rows.Where(r => Directory.Exists(r.Path)).ToList();
        var missing = rows.Where(r => !Directory.Exists(r.Path)).Select(r => r.Path).ToList();
        return new VideoDataset($"rawframes {Path.GetFileNameWithoutExtension(annotation)}", classes, present, missing);
    }
}
