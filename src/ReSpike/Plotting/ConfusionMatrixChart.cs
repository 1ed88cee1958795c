using ScottPlot;

namespace ReSpike.Plotting;

/// <summary>
/// A confusion matrix as a heatmap: rows are true classes (top to bottom), columns predicted classes, class
/// names on both axes; colour is the row-normalised rate (recall per class) or the raw count.
/// Small matrices get the count written in each cell.
/// </summary>
public static class ConfusionMatrixChart
{
    public static void Write(string path, long[,] counts, IReadOnlyList<string> classNames, string title = "Confusion matrix",
                             bool normalizeRows = true, int? size = null)
    {
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n) throw new ArgumentException($"a confusion matrix must be square and non-empty, got {counts.GetLength(0)}x{counts.GetLength(1)}");
        if (classNames.Count != n) throw new ArgumentException($"{classNames.Count} class names for a {n}x{n} confusion matrix");
        var values = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            long rowTotal = 0;
            for (int c = 0; c < n; c++) rowTotal += counts[r, c];
            for (int c = 0; c < n; c++)
                values[r, c] = normalizeRows ? (rowTotal > 0 ? counts[r, c] / (double)rowTotal : 0) : counts[r, c];
        }

        using var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // cell (r, c) centred on (c, n-1-r), row 0 on top like a printed matrix (Extent spans the corner cells' centres)
        heatmap.Extent = new CoordinateRect(0, Math.Max(n - 1, 1e-9), 0, Math.Max(n - 1, 1e-9));
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = normalizeRows ? "fraction of true class" : "clips";

        if (n <= 20)
        {
            double max = values.Cast<double>().Max();
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                {
                    var text = plot.Add.Text(counts[r, c].ToString(), c, n - 1 - r);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontSize = n <= 10 ? 14 : 10;
                    // dark text on the bright end of viridis, light text elsewhere
                    text.LabelFontColor = max > 0 && values[r, c] / max > 0.6 ? Colors.Black : Colors.White;
                }
        }

        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions.Select(p => n - 1 - p).ToArray(), classNames.ToArray());
        int longest = classNames.Max(c => c.Length);
        if (n > 8 || longest > 6)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            // the layout does not measure rotated labels: reserve their height
            plot.Axes.Bottom.MinimumSize = 40 + 6 * longest;
        }
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        int side = size ?? Math.Clamp(200 + 30 * n, 500, 2400);
        PngFile.Write(plot, path, side + 150, side);
    }
}
