using System.Globalization;

namespace ReSpike.Data.Formats;

/// <summary>
/// Kinetics-400 in either of its two common annotation formats:
/// the official CSV ("label,youtube_id,time_start,time_end,split[,is_cc]", files named
/// &lt;id&gt;_&lt;start:06&gt;_&lt;end:06&gt;.mp4, looked up under root/&lt;label&gt;/, root/&lt;split&gt;/&lt;label&gt;/, root/&lt;split&gt;/ or root/),
/// or mmaction2 list files ("relative/path.mp4 label", '.mp4' appended when missing, as the reference does).
/// </summary>
public static class Kinetics400Format
{
    /// <param name="annotation">CSV or list file; when null, root/kinetics-400_{train|val}.csv or root/kinetics400_{train|val}_list_videos.txt.</param>
    public static VideoDataset Load(string root, DatasetSubset subset, string? annotation = null, string? labelMap = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--root: folder not found: {root}");
        annotation ??= DefaultAnnotation(root, subset);
        return annotation.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? LoadCsv(root, annotation, labelMap)
            : LoadList(root, annotation, labelMap, "kinetics400");
    }

    static string DefaultAnnotation(string root, DatasetSubset subset)
    {
        var name = subset == DatasetSubset.Train ? "train" : "val";
        string[] candidates =
        [
            Path.Combine(root, $"kinetics-400_{name}.csv"), Path.Combine(root, "annotations", $"kinetics-400_{name}.csv"),
            Path.Combine(root, $"kinetics400_{name}_list_videos.txt"), Path.Combine(root, "annotations", $"kinetics400_{name}_list_videos.txt"),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"no Kinetics-400 annotation file: tried {string.Join(", ", candidates)}; pass --annotations FILE");
    }

    static VideoDataset LoadCsv(string root, string csv, string? labelMap)
    {
        var rows = new List<(int Line, string Label, string File, string Split)>();
        Dictionary<string, int>? columns = null;
        foreach (var (line, text) in AnnotationLines.Read(csv))
        {
            var fields = CsvLine.Split(text);
            if (columns is null)
            {
                columns = fields.Select((f, i) => (f.Trim(), i)).ToDictionary(x => x.Item1, x => x.i);
                foreach (var required in new[] { "label", "youtube_id", "time_start", "time_end" })
                    if (!columns.ContainsKey(required))
                        throw new DatasetFormatException(csv, line, $"header lacks column '{required}' (expected label,youtube_id,time_start,time_end,split; the unlabelled test CSV cannot be used for training or evaluation)");
                continue;
            }
            if (fields.Count < columns.Count) throw new DatasetFormatException(csv, line, $"expected {columns.Count} columns, got {fields.Count}");
            if (!int.TryParse(fields[columns["time_start"]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(fields[columns["time_end"]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var end))
                throw new DatasetFormatException(csv, line, "time_start/time_end are not whole seconds");
            var file = $"{fields[columns["youtube_id"]]}_{start:000000}_{end:000000}.mp4";
            rows.Add((line, fields[columns["label"]], file, columns.TryGetValue("split", out var s) ? fields[s] : ""));
        }
        if (columns is null) throw new DatasetFormatException(csv, 0, "file is empty");
        var classes = labelMap is not null ? LabelMap.Read(labelMap) : rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var byName = classes.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var entries = new List<VideoEntry>();
        var missing = new List<string>();
        foreach (var r in rows)
        {
            if (!byName.TryGetValue(r.Label, out var label))
                throw new DatasetFormatException(csv, r.Line, $"unknown class '{r.Label}' (not in {labelMap})");
            var found = Candidates(root, r.Label, r.Split, r.File).FirstOrDefault(File.Exists);
            if (found is null) missing.Add(r.File);
            else entries.Add(new VideoEntry(found, label, $"{Path.GetFileName(csv)}:{r.Line}"));
        }
        return new VideoDataset($"kinetics400 {Path.GetFileNameWithoutExtension(csv)}", classes, entries, missing);
    }

    static IEnumerable<string> Candidates(string root, string label, string split, string file)
    {
        foreach (var folder in new[] { label, label.Replace(' ', '_') }.Distinct())
        {
            yield return Path.Combine(root, folder, file);
            if (split.Length > 0) yield return Path.Combine(root, split, folder, file);
        }
        if (split.Length > 0) yield return Path.Combine(root, split, file);
        yield return Path.Combine(root, file);
    }

    /// <summary>mmaction2 video list: "relative/path label" per line.</summary>
    internal static VideoDataset LoadList(string root, string list, string? labelMap, string name)
    {
        var rows = new List<(int Line, string Path, int Label)>();
        foreach (var (line, text) in AnnotationLines.Read(list))
        {
            int cut = text.LastIndexOfAny([' ', '\t']);
            if (cut <= 0 || !int.TryParse(text[(cut + 1)..], out var label) || label < 0)
                throw new DatasetFormatException(list, line, $"expected 'relative/path label' with a label >= 0, got '{text}'");
            var rel = text[..cut].Trim();
            if (!Path.HasExtension(rel)) rel += ".mp4";
            rows.Add((line, rel, label));
        }
        if (rows.Count == 0) throw new DatasetFormatException(list, 0, "list names no videos");
        var classes = LabelMap.OrNumbered(labelMap, rows.Max(r => r.Label));
        var bad = rows.FirstOrDefault(r => r.Label >= classes.Count);
        if (bad.Path is not null) throw new DatasetFormatException(list, bad.Line, $"label {bad.Label} is outside the {classes.Count} classes of {labelMap}");
        var entries = rows.Select(r => new VideoEntry(Path.Combine(root, r.Path), r.Label, $"{Path.GetFileName(list)}:{r.Line}"));
        var (present, missing) = VideoDataset.CheckExists(entries);
        return new VideoDataset($"{name} {Path.GetFileNameWithoutExtension(list)}", classes, present, missing);
    }
}
