using ReSpike.Interpretability;
using ReSpike.IO;
using ScottPlot;

namespace ReSpike.Plotting;

/// <summary>
/// One key frame's attention figure (the paper's Fig. 4), three panels side by side on the model's input crop:
/// the key frame with the query token outlined; the group's residual energy with the token grid and the query;
/// the query's head-averaged attention over the key frame's ANN tokens laid over the key frame, the top tokens
/// outlined and ranked with their weights.
/// </summary>
public static class AttentionFigure
{
    const int PanelSize = 420;
    static readonly Color QueryColor = Colors.Cyan;
    static readonly Color TopColor = Colors.Red;

    public static void Write(string path, AttentionReport report, KeyFrameAttention key)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        try
        {
            Draw(multiplot, report, key);
            using var image = multiplot.Render(3 * PanelSize + 160, PanelSize + 40);
            var bytes = image.GetImageBytes(ImageFormat.Png);
            AtomicFile.Write(path, s => s.Write(bytes));
        }
        finally
        {
            foreach (var plot in multiplot.GetPlots()) plot.Dispose();
        }
    }

    static void Draw(Multiplot multiplot, AttentionReport report, KeyFrameAttention key)
    {
        int size = key.KeyFramePixels.GetLength(0), grid = report.GridWidth, patch = report.PatchSize;
        var frameLabel = key.VideoFrame is { } f ? $"frame {f}" : $"clip frame {key.ClipFrame}";
        var source = report.Video is null ? "" : Path.GetFileName(report.Video) + ", ";
        int first = key.VideoFrame ?? key.ClipFrame;
        var prediction = report.PredictedLabel ?? $"class {report.PredictedClass}";
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var frame = multiplot.GetPlot(0);
        AddImage(frame, key.KeyFramePixels);
        Outline(frame, key.Query, patch, size, QueryColor, 3);
        Frame(frame, size, $"{source}key {frameLabel}\npredicted {prediction} ({report.Probability:P0})");

        var residual = multiplot.GetPlot(1);
        var energy = residual.Add.Heatmap(key.ResidualEnergyPixels);
        energy.Colormap = new ScottPlot.Colormaps.Inferno();
        energy.Rectangle = new CoordinateRect(0, size, 0, size);
        GridLines(residual, grid, patch, size);
        Outline(residual, key.Query, patch, size, QueryColor, 3);
        residual.Add.ColorBar(energy).Label = "mean |residual| (0-1)";
        Frame(residual, size, $"residual energy |frame - key|, frames {first + 1}-{first + report.Timesteps}\nquery token {key.Query} ({key.QueryRule})");

        var attention = multiplot.GetPlot(2);
        AddImage(attention, key.KeyFramePixels);
        var map = new double[grid, grid];
        for (int i = 0; i < key.Weights.Length; i++) map[i / grid, i % grid] = key.Weights[i];
        var heat = attention.Add.Heatmap(map);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        heat.Rectangle = new CoordinateRect(0, size, 0, size);
        heat.Opacity = 0.55;
        attention.Add.ColorBar(heat).Label = "attention weight";
        GridLines(attention, grid, patch, size);
        for (int rank = 0; rank < key.Top.Count; rank++)
        {
            var token = key.Top[rank];
            Outline(attention, new TokenCell(token.X, token.Y), patch, size, TopColor, 3);
            var text = attention.Add.Text($"{rank + 1}: {token.Weight:0.000}", token.X * patch + 1.5, size - token.Y * patch - 1.5);
            text.LabelFontColor = Colors.White;
            text.LabelBackgroundColor = TopColor.WithAlpha(0.75);
            text.LabelFontSize = 12;
            text.LabelAlignment = Alignment.UpperLeft;
        }
        Outline(attention, key.Query, patch, size, QueryColor, 2, dashed: true);
        Frame(attention, size, $"layer {report.Layer} attention of query {key.Query} on ANN tokens\nmean of {report.Heads} heads x {report.Timesteps} steps; top {key.Top.Count} in red");
    }

    static void AddImage(Plot plot, byte[,,] rgb)
    {
        int size = rgb.GetLength(0);
        plot.Add.ImageRect(new Image(rgb), new CoordinateRect(0, size, 0, size));
    }

    /// <summary>A token's patch as a rectangle; pixel rows count down from the top, plot y up from the bottom.</summary>
    static void Outline(Plot plot, TokenCell cell, int patch, int size, Color color, float width, bool dashed = false)
    {
        var rect = plot.Add.Rectangle(cell.X * patch, (cell.X + 1) * patch, size - (cell.Y + 1) * patch, size - cell.Y * patch);
        rect.FillColor = Colors.Transparent;
        rect.LineColor = color;
        rect.LineWidth = width;
        if (dashed) rect.LinePattern = LinePattern.Dashed;
    }

    static void GridLines(Plot plot, int grid, int patch, int size)
    {
        for (int i = 1; i < grid; i++)
        {
            var v = plot.Add.Line(i * patch, 0, i * patch, size);
            var h = plot.Add.Line(0, i * patch, size, i * patch);
            foreach (var line in new[] { v, h }) { line.LineColor = Colors.White.WithAlpha(0.5); line.LineWidth = 1; line.MarkerSize = 0; }
        }
    }

    static void Frame(Plot plot, int size, string title)
    {
        plot.Axes.SetLimits(0, size, 0, size);
        plot.Axes.SquareUnits();
        plot.HideGrid();
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.IsVisible = false;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
        }
        plot.Title(title, size: 13);
    }
}
