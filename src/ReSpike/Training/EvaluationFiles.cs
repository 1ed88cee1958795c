using System.Globalization;
using System.Text;
using ReSpike.IO;

namespace ReSpike.Training;

/// <summary>Writes an evaluation's per-class accuracy and confusion matrix as CSV (atomically).</summary>
public static class EvaluationFiles
{
    public static void WriteConfusionCsv(string path, EvaluationReport report)
    {
        var names = report.PerClass.Select(c => Quote(c.Name)).ToList();
        var text = new StringBuilder();
        text.Append("true\\predicted,").AppendJoin(',', names).Append('\n');
        for (int i = 0; i < names.Count; i++) text.Append(names[i]).Append(',').AppendJoin(',', report.Confusion[i]).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static void WritePerClassCsv(string path, EvaluationReport report)
    {
        var text = new StringBuilder("class,videos,correct,accuracy\n");
        foreach (var c in report.PerClass)
            text.Append(Quote(c.Name)).Append(',').Append(c.Videos).Append(',').Append(c.Correct).Append(',')
                .Append(double.IsNaN(c.Accuracy) ? "" : c.Accuracy.ToString("0.0000", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
