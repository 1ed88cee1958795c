using System.Globalization;
using System.Text;
using ReSpike.Data;
using ReSpike.Data.Transforms;
using ReSpike.Energy;
using ReSpike.IO;
using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// The files of an evaluation folder, each written atomically: report.json (<see cref="Summary"/>),
/// per_class.csv, confusion.csv and confusion.png.
/// </summary>
public static class EvaluationFiles
{
    public const string Report = "report.json", PerClass = "per_class.csv", Confusion = "confusion.csv", ConfusionPlot = "confusion.png";

    /// <summary>eval's default folder: eval-&lt;dataset kind&gt;/ beside the checkpoint.</summary>
    public static string DefaultFolder(string checkpoint, DatasetKind kind) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, $"eval-{kind.ToString().ToLowerInvariant()}");

    /// <summary>
    /// What eval reports in report.json and --json (snake_case fields): the accuracies, how the checkpoint was tested,
    /// and the energy per clip when it was measured (null fields otherwise). With early exit, energy_mj is the energy the
    /// exiting clips actually used (exit_threshold, mean_segments of segments), and full_energy_mj that of the whole clip.
    /// </summary>
    public static object Summary(string checkpoint, string model, EvaluationReport report, EvaluationProtocol protocol, string testPipeline, EnergyReport? energy) => new
    {
        checkpoint, model, report.ClipTop1, report.VideoTop1, report.VideoTop5, report.MeanClassAcc,
        report.Videos, report.Clips, report.Skipped, clips_per_video = report.ClipsPerVideo, report.Crops,
        sampling = protocol.Sampling, test_crop = protocol.TestCrop.Name(), test_pipeline = testPipeline,
        exit_threshold = report.ExitThreshold, mean_segments = report.MeanSegments, segments = report.Segments,
        energy_mj = report.EnergyMj ?? energy?.EnergyMj, full_energy_mj = report.EnergyMj is null ? null : energy?.EnergyMj, total_gmacs = energy?.TotalGmacs, total_gacs = energy?.TotalGacs, firing_rate = energy?.FiringRate,
        per_class = report.PerClass, report.Confusion, skipped_videos = report.SkippedVideos, report.Seconds,
    };

    /// <summary>Creates <paramref name="folder"/> and writes all four files into it.</summary>
    public static void WriteAll(string folder, EvaluationReport report, object summary)
    {
        Directory.CreateDirectory(folder);
        WriteConfusionCsv(Path.Combine(folder, Confusion), report);
        WritePerClassCsv(Path.Combine(folder, PerClass), report);
        EvaluationPlots.WriteConfusion(Path.Combine(folder, ConfusionPlot), report);
        JsonReport.Write(Path.Combine(folder, Report), summary);
    }

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
