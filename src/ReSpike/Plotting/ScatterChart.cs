using ScottPlot;

namespace ReSpike.Plotting;

/// <summary>Points with a text label beside each (models on an accuracy-energy plane, say), as PNG.</summary>
public static class ScatterChart
{
    public static void Write(string path, IReadOnlyList<LabelledPoint> points, string title, string xLabel, string yLabel,
                             int width = 800, int height = 600)
    {
        if (points.Count == 0) throw new ArgumentException("a scatter chart needs at least one point");
        using var plot = new Plot();
        var groups = points.GroupBy(p => p.Group ?? "").ToList();
        var palette = new ScottPlot.Palettes.Category10();
        for (int g = 0; g < groups.Count; g++)
        {
            var color = palette.GetColor(g);
            var members = groups[g].ToArray();
            var markers = plot.Add.ScatterPoints(members.Select(p => p.X).ToArray(), members.Select(p => p.Y).ToArray(), color);
            markers.MarkerSize = 10;
            if (groups[g].Key.Length > 0) markers.LegendText = groups[g].Key;
            foreach (var p in members)
            {
                var text = plot.Add.Text(p.Label, p.X, p.Y);
                text.LabelFontSize = 13;
                text.LabelFontColor = color;
                text.LabelAlignment = Alignment.LowerLeft;
                text.LabelOffsetX = 7;    // beside the marker, not on it
                text.LabelOffsetY = -4;
            }
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        // room for the labels, which sit right of and above their points
        double xMin = points.Min(p => p.X), xMax = points.Max(p => p.X), yMin = points.Min(p => p.Y), yMax = points.Max(p => p.Y);
        double xSpan = Span(xMin, xMax), ySpan = Span(yMin, yMax);
        plot.Axes.SetLimits(xMin - 0.06 * xSpan, xMax + 0.3 * xSpan, yMin - 0.08 * ySpan, yMax + 0.12 * ySpan);
        if (groups.Count > 1) plot.ShowLegend(Edge.Right);   // outside the data area: never hides a curve
        PngFile.Write(plot, path, width, height);
    }

    /// <summary>Axis span for padding: the data range, or a sensible width when all points coincide.</summary>
    static double Span(double min, double max) => max > min ? max - min : Math.Max(Math.Abs(max) * 0.2, 1);
}
