using ReSpike.IO;
using ScottPlot;

namespace ReSpike.Plotting;

/// <summary>Renders a ScottPlot plot to PNG and writes it atomically (readers never see a half-written image).</summary>
static class PngFile
{
    public static void Write(Plot plot, string path, int width, int height)
    {
        if (width < 100 || height < 100) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} px is too small (at least 100x100)");
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
