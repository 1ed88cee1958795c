using System.Text.Json;
using ReSpike.Data;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

/// <summary>eval's output folder, written by the library.</summary>
public class EvaluationFilesTests
{
    static EvaluationReport Report() => new(
        ClipTop1: 0.5, VideoTop1: 0.75, VideoTop5: 1, MeanClassAcc: 0.75, Videos: 4, Clips: 8, Skipped: 1, ClipsPerVideo: 0, Crops: 1,
        PerClass: [new ClassAccuracy("run", 2, 2, 1), new ClassAccuracy("walk, fast", 2, 1, 0.5)],
        Confusion: [[2, 0], [1, 1]],
        SkippedVideos: [new SkippedVideo("bad.avi", "no frames")],
        Seconds: 1.5);

    [Fact]
    public void WriteAll_writes_the_report_csvs_and_plot_with_the_contract_fields()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "eval-synthetic");
        var protocol = new EvaluationProtocol { Sampling = "segments", TestCrop = TestCrop.Centre };
        var summary = EvaluationFiles.Summary("/runs/a/best.safetensors", "ann", Report(), protocol, testPipeline: "CentreCrop(112) → Normalize(ImageNet)", energy: null);
        EvaluationFiles.WriteAll(folder, Report(), summary);

        Assert.Equal(["confusion.csv", "confusion.png", "per_class.csv", "report.json"],
                     Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        var root = json.RootElement;
        Assert.Equal(["checkpoint", "model", "clip_top1", "video_top1", "video_top5", "mean_class_acc", "videos", "clips", "skipped",
                      "clips_per_video", "crops", "sampling", "test_crop", "test_pipeline", "exit_threshold", "mean_segments", "segments",
                      "energy_mj", "full_energy_mj", "total_gmacs", "total_gacs", "firing_rate",
                      "per_class", "confusion", "skipped_videos", "seconds"],
                     root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ann", root.GetProperty("model").GetString());
        Assert.Equal("segments", root.GetProperty("sampling").GetString());
        Assert.Equal("centre", root.GetProperty("test_crop").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("energy_mj").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("exit_threshold").ValueKind);   // no early exit in this report
        Assert.Equal("walk, fast", root.GetProperty("per_class")[1].GetProperty("name").GetString());
        Assert.Equal("bad.avi", root.GetProperty("skipped_videos")[0].GetProperty("path").GetString());
        Assert.Equal("\"walk, fast\",2,1,0.5000", File.ReadAllLines(Path.Combine(folder, "per_class.csv"))[2]);
    }

    [Fact]
    public void The_default_folder_sits_beside_the_checkpoint_named_after_the_dataset()
    {
        var checkpoint = Path.Combine(Path.GetTempPath(), "run", "best.safetensors");
        Assert.Equal(Path.Combine(Path.GetTempPath(), "run", "eval-ucf101"), EvaluationFiles.DefaultFolder(checkpoint, DatasetKind.Ucf101));
    }
}
