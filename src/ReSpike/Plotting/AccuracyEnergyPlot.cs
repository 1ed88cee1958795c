namespace ReSpike.Plotting;

/// <summary>Top-1 accuracy against energy per clip for a set of eval reports, like the paper's Fig. 1 and Fig. 5.</summary>
public static class AccuracyEnergyPlot
{
    /// <summary>Reads every report and writes the labelled scatter to <paramref name="pngPath"/>; returns the points drawn.</summary>
    public static IReadOnlyList<AccuracyEnergyPoint> Write(IEnumerable<string> reportPaths, string pngPath,
                                                           string title = "Accuracy vs energy", int width = 900, int height = 600)
    {
        var points = reportPaths.Select(AccuracyEnergyPoint.Load).ToList();
        if (points.Count == 0) throw new ArgumentException("no eval reports given");
        // one axis title for the accuracy kind actually plotted
        var fields = points.Select(p => p.AccuracyField).Distinct().ToList();
        string yLabel = fields.Count == 1 ? $"{(fields[0] == "video_top1" ? "video" : "clip")}-level top-1 (%)" : "top-1 (%) (video where available, else clip)";
        ScatterChart.Write(pngPath, points.Select(p => new LabelledPoint(p.EnergyMj, p.Top1Percent, p.Label)).ToList(),
                           title, "energy per clip (mJ)", yLabel, width, height);
        return points;
    }
}
