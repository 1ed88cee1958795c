using System.Text.Json.Nodes;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;

namespace ReSpike.Tests.Distributed;

/// <summary>`mpiexec -n 2 respike eval` writes exactly the report of one process (only the wall time differs).</summary>
public class ShardedEvaluationTests
{
    [RequiresMpiFact]
    public void Two_ranks_report_the_single_process_numbers_on_synthetic_data()
    {
        using var dir = new TempDirectory();
        var run = dir.File("run");
        var (code, output) = CliProcess.Run(["train", "--dataset", "synthetic", "--data-videos", "2", "--data-frames", "8", "--data-size", "32",
            "--model", "ann", "--image", "32", "--frames", "4", "--stride", "2", "--batch", "4", "--epochs", "1", "--lr", "0.01", "--seed", "5",
            "--no-eval", "--threads", "1", "--out", run]);
        Assert.True(code == 0, output);
        // 8-frame videos of 4-frame clips: several clips per video, so video-level sums cross batch (and rank) boundaries
        AssertSameReports(dir, ["--checkpoint", Path.Combine(run, "last.safetensors"), "--dataset", "synthetic", "--data-videos", "2", "--data-frames", "8",
            "--data-size", "32", "--clips", "3", "--crops", "3", "--batch", "5"]);
    }

    [RequiresMpiFact(sharedData: true)]
    public void Two_ranks_report_the_single_process_numbers_on_weizmann4()
    {
        using var dir = new TempDirectory();
        var checkpoint = dir.File("init.safetensors");
        var (code, output) = CliProcess.Run(["init", "--model", "ann", "--classes", "4", "--image", "64", "--frames", "8", "--stride", "4", "--seed", "3", "--out", checkpoint]);
        Assert.True(code == 0, output);
        AssertSameReports(dir, ["--checkpoint", checkpoint, "--dataset", "ucf101", "--root", Path.Combine(TestAvailability.SharedData!, "weizmann4"),
            "--split", "1", "--no-cache", "--batch", "8"]);
    }

    static void AssertSameReports(TempDirectory dir, string[] eval)
    {
        string[] common = ["eval", .. eval, "--energy-samples", "0", "--threads", "1"];
        var (code, output) = CliProcess.Run([.. common, "--out", dir.File("one"), "--json", dir.File("one.json")]);
        Assert.True(code == 0, "one process:\n" + output);
        (code, output) = CliProcess.Run([.. common, "--out", dir.File("two"), "--json", dir.File("two.json")], ranks: 2);
        Assert.True(code == 0, "two ranks:\n" + output);
        var one = JsonNode.Parse(File.ReadAllText(dir.File("one.json")))!.AsObject();
        var two = JsonNode.Parse(File.ReadAllText(dir.File("two.json")))!.AsObject();
        one.Remove("seconds");
        two.Remove("seconds");
        Assert.True((int)one["videos"]! > 0 && (int)one["clips"]! > (int)one["videos"]!, one.ToJsonString());
        Assert.Equal(one.ToJsonString(), two.ToJsonString());
        foreach (var file in new[] { "per_class.csv", "confusion.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(dir.File("one"), file)), File.ReadAllText(Path.Combine(dir.File("two"), file)));
    }
}
