using System.Buffers.Binary;
using ReSpike.Plotting;
using ReSpike.Tests.IO;

namespace ReSpike.Tests.Energy;

public class PlotTests
{
    static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Checks the PNG signature and IHDR chunk; returns (width, height).</summary>
    static (int Width, int Height) AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Line_chart_writes_a_png_of_the_requested_size_and_nothing_else()
    {
        using var dir = new TempDirectory();
        LineChart.Write(dir.File("loss.png"),
            [LineSeries.OverIndex("train", [2.3, 1.7, 1.2, 0.9]), new LineSeries("val", [1, 2, 3, 4], [2.4, 1.9, 1.6, 1.5])],
            "Loss", "epoch", "cross-entropy", width: 640, height: 400);
        Assert.Equal((640, 400), AssertPng(dir.File("loss.png")));
        Assert.Equal(["loss.png"], dir.FileNames());   // the temp file was renamed away
    }

    [Fact]
    public void Labelled_scatter_and_confusion_matrix_write_pngs()
    {
        using var dir = new TempDirectory();
        ScatterChart.Write(dir.File("scatter.png"),
            [new LabelledPoint(134.4, 48.9, "ResNet-18", "ANN"), new LabelledPoint(68.3, 52.7, "ReSpike Res-18", "hybrid")],
            "Accuracy vs energy", "mJ", "top-1 (%)");
        long[,] counts = { { 5, 1, 0 }, { 2, 7, 1 }, { 0, 0, 9 } };
        ConfusionMatrixChart.Write(dir.File("confusion.png"), counts, ["brush_hair", "cartwheel", "catch"]);
        Assert.Equal((800, 600), AssertPng(dir.File("scatter.png")));
        var (w, h) = AssertPng(dir.File("confusion.png"));
        Assert.True(w > h);   // room for the colour bar
        Assert.Throws<ArgumentException>(() => ConfusionMatrixChart.Write(dir.File("bad.png"), counts, ["a", "b"]));
    }

    [Fact]
    public void Accuracy_energy_plot_reads_eval_reports()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("respike.json"), """{"model": "respike", "video_top1": 0.527, "clip_top1": 0.5, "energy_mj": 68.3}""");
        File.WriteAllText(dir.File("ann.json"), """{"clip_top1": 48.9, "energy_mj": 134.4}""");
        var points = AccuracyEnergyPlot.Write([dir.File("respike.json"), dir.File("ann.json")], dir.File("acc_energy.png"));
        AssertPng(dir.File("acc_energy.png"));
        Assert.Equal("respike", points[0].Label);
        Assert.Equal(52.7, points[0].Top1Percent, 9);       // fraction -> percent, video level preferred
        Assert.Equal("video_top1", points[0].AccuracyField);
        Assert.Equal("ann", points[1].Label);               // no model field: the file name
        Assert.Equal(48.9, points[1].Top1Percent, 9);
        Assert.Equal(134.4, points[1].EnergyMj);
    }

    [Fact]
    public void A_report_without_energy_is_rejected_naming_the_file_and_field()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("eval.json"), """{"clip_top1": 0.5}""");
        var e = Assert.Throws<InvalidDataException>(() => AccuracyEnergyPoint.Load(dir.File("eval.json")));
        Assert.Contains("eval.json", e.Message);
        Assert.Contains("energy_mj", e.Message);
    }
}
