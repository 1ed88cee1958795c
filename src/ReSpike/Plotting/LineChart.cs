using ScottPlot;

namespace ReSpike.Plotting;

/// <summary>Several named line series on shared axes (loss or accuracy curves, say), with a legend, as PNG.</summary>
public static class LineChart
{
    public static void Write(string path, IReadOnlyList<LineSeries> series, string title, string xLabel, string yLabel,
                             int width = 800, int height = 500)
    {
        if (series.Count == 0) throw new ArgumentException("a line chart needs at least one series");
        using var plot = new Plot();
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count)
                throw new ArgumentException($"series '{s.Name}': {s.X.Count} x values but {s.Y.Count} y values");
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = s.X.Count <= 50 ? 5 : 0;   // markers only while points are few enough to see
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (series.Count > 1 || !string.IsNullOrEmpty(series[0].Name)) plot.ShowLegend(Edge.Right);   // outside the data area: never hides a curve
        PngFile.Write(plot, path, width, height);
    }
}
