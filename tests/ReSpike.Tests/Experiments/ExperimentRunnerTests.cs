using System.Text.Json;
using ReSpike.Data.Synthetic;
using ReSpike.Experiments;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Experiments;

/// <summary>The experiment grid: one run per cell, reports, skipping finished cells, resuming after an interruption.</summary>
public class ExperimentRunnerTests
{
    // the synthetic set at its smallest: 2 videos per class, 8 frames of 32 px, one epoch
    static ExperimentSettings Settings(string dir, IReadOnlyList<ExperimentCell> cells, string name = "ablation") => new()
    {
        Name = name,
        OutputDirectory = dir,
        Cells = cells,
        Sets = ["data.synthetic_videos_per_class=2", "data.synthetic_frames=8", "data.synthetic_size=32", "horizontal_flip=false"],
        Flags = new TrainingFlags { Image = 32, Frames = 8, Stride = 4, Epochs = 1, Batch = 4, Threads = 1 },
        EnergySamples = 2,
    };

    /// <summary>Counts the cells that trained and cancels the grid when the named cell starts its first epoch.</summary>
    sealed class Recorder(CancellationTokenSource? cancelAt = null, string? cancelCell = null)
    {
        public List<string> Trained { get; } = [];

        public ITrainingObserver For(string id)
        {
            Trained.Add(id);
            return new Observer(id == cancelCell ? cancelAt : null);
        }

        sealed class Observer(CancellationTokenSource? cancel) : ITrainingObserver
        {
            public void EpochStarted(int epoch, int epochs, int batches, double learningRate) => cancel?.Cancel();
        }
    }

    [Fact]
    public void A_grid_writes_one_run_per_cell_and_the_reports_and_a_rerun_reuses_them()
    {
        using var dir = new TempDirectory();
        var cells = ExperimentCell.Parse("E4,E6");
        var first = new Recorder();
        var result = ExperimentRunner.Run(Settings(dir.Path, cells), first.For);
        Assert.False(result.Interrupted);
        Assert.Equal(["E4", "E6"], first.Trained);
        Assert.Equal(["E4", "E6"], result.Cells.Select(c => c.Id));
        foreach (var id in new[] { "E4", "E6" })
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, id, "last.safetensors")));
            Assert.True(File.Exists(Path.Combine(dir.Path, id, ExperimentRunner.CellFile)));
        }
        foreach (var file in new[] { "ablation.md", "ablation.csv", "ablation.json", "ablation.png" })
            Assert.True(File.Exists(dir.File(file)), file);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("ablation.json")));
        var rows = json.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(["ann", "snn"], rows.Select(r => r.GetProperty("model").GetString()));
        foreach (var row in rows)
        {
            foreach (var field in new[] { "video_top1", "clip_top1", "energy_mj", "params", "train_seconds" })
                Assert.True(row.GetProperty(field).GetDouble() >= 0, field);
            Assert.Equal(SyntheticClasses.Names, row.GetProperty("per_class").EnumerateObject().Select(p => p.Name));
        }
        // the spiking cell costs less than the key-frame ANN: ACs, not MACs, in its trunk
        Assert.True(result.Cells[1].EnergyMj < result.Cells[0].EnergyMj);
        Assert.Equal(11_179_590, result.Cells[0].Params);   // resnet18 trunk 11,176,512 + fc 512*6 + 6
        Assert.Equal(11_176_134, result.Cells[1].Params);   // MS-ResNet-18 11,173,056 + fc 512*6 + 6
        var md = File.ReadAllText(dir.File("ablation.md"));
        Assert.Contains("| E4 | ann | key frames | 4 |", md);
        Assert.Contains("| slide_right |", md);
        var csv = File.ReadAllLines(dir.File("ablation.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("id,model,inputs,stride,video_top1,clip_top1,energy_mj", csv[0]);

        // a finished grid re-runs without training and reports the same figures
        var again = new Recorder();
        var rerun = ExperimentRunner.Run(Settings(dir.Path, cells), again.For);
        Assert.Empty(again.Trained);
        Assert.Equal(result.Cells.Select(c => (c.VideoTop1, c.EnergyMj)), rerun.Cells.Select(c => (c.VideoTop1, c.EnergyMj)));
    }

    [Fact]
    public void An_interrupted_grid_resumes_where_it_stopped()
    {
        using var dir = new TempDirectory();
        var cells = ExperimentCell.Parse("E4,E6");
        using var cancel = new CancellationTokenSource();
        var first = new Recorder(cancel, "E6");
        var stopped = ExperimentRunner.Run(Settings(dir.Path, cells), first.For, cancel: cancel.Token);
        Assert.True(stopped.Interrupted);
        Assert.Equal(["E6"], stopped.Missing);
        Assert.Equal(["E4"], stopped.Cells.Select(c => c.Id));
        Assert.Contains("Not finished yet: E6", File.ReadAllText(dir.File("ablation.md")));

        var second = new Recorder();
        var finished = ExperimentRunner.Run(Settings(dir.Path, cells), second.For);
        Assert.False(finished.Interrupted);
        Assert.Equal(["E6"], second.Trained);   // E4 is reused, E6 trains (resuming its resume point when it saved one)
        Assert.Equal(["E4", "E6"], finished.Cells.Select(c => c.Id));
        Assert.Equal((stopped.Cells[0].VideoTop1, stopped.Cells[0].EnergyMj, stopped.Cells[0].TrainSeconds),
                     (finished.Cells[0].VideoTop1, finished.Cells[0].EnergyMj, finished.Cells[0].TrainSeconds));
    }

    [Fact]
    public void A_cell_folder_trained_with_other_settings_is_refused()
    {
        using var dir = new TempDirectory();
        var cells = ExperimentCell.Parse("E4");
        ExperimentRunner.Run(Settings(dir.Path, cells), new Recorder().For);
        var changed = Settings(dir.Path, cells) with { Sets = [.. Settings(dir.Path, cells).Sets, "learning_rate=0.5"] };
        var e = Assert.Throws<IOException>(() => ExperimentRunner.Run(changed, new Recorder().For));
        Assert.Contains("E4", e.Message);
        Assert.Contains("other settings", e.Message);
        // the thread count only changes speed: not a different cell
        var moreThreads = Settings(dir.Path, cells) with { Flags = Settings(dir.Path, cells).Flags with { Threads = 2 } };
        Assert.False(ExperimentRunner.Run(moreThreads, new Recorder().For).Interrupted);
    }

    [Theory]
    [InlineData("E1,E2,E3,E4,E5,E6,E7,E8,E9", "ann-all,ms-resnet18,respike-rgb,ann,ann-res,snn,snn-key,respike-noattn,respike")]
    [InlineData("e9, snn-resnet18 ,tet-resnet18,r3d-18", "respike,snn-resnet18,tet-resnet18,r3d-18")]
    public void Cells_are_ablation_rows_or_any_registered_model(string list, string models)
    {
        Assert.Equal(models.Split(','), ExperimentCell.Parse(list).Select(c => c.Model));
    }

    [Theory]
    [InlineData("E1,E10", "'E10' is neither an ablation row (E1-E9) nor a registered model")]
    [InlineData("E1,e1", "'E1' is listed twice")]
    [InlineData(",", "--cells: empty list")]
    public void Bad_cell_lists_are_refused_naming_the_flag(string list, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ExperimentCell.Parse(list));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_stride_sweep_has_one_cell_per_stride_and_plots_them()
    {
        var cells = ExperimentCell.Strides("respike", ExperimentCell.PaperStrides);
        Assert.Equal([("s2", 2), ("s4", 4), ("s8", 8)], cells.Select(c => (c.Id, c.Stride!.Value)));
        using var dir = new TempDirectory();
        // the cheapest model that has a stride: the SNN on residuals, at s = 2 and 4 of 8-frame clips
        var result = ExperimentRunner.Run(Settings(dir.Path, ExperimentCell.Strides("snn", [2, 4]), "stride"), new Recorder().For);
        Assert.Equal([2, 4], result.Cells.Select(c => c.Stride));
        Assert.True(File.Exists(dir.File("stride_per_stride.png")));
        Assert.True(File.Exists(dir.File("stride.png")));
        // the real-valued stem runs once per residual timestep: 2 x 3 at s = 4, 4 x 1 at s = 2, so about 1.5 times the MACs
        double ratio = result.Cells[1].Gmacs / result.Cells[0].Gmacs;
        Assert.InRange(ratio, 1.4, 1.6);
    }
}
