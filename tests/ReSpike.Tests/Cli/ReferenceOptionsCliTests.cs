using System.Text.Json;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Cli;

/// <summary>The reference-compatible options on the command line: --fusion full3 and --label-order folders.</summary>
[Collection(VideoCollection.Name)]
public class ReferenceOptionsCliTests(VideoFixtures videos)
{
    [Fact]
    public void Help_names_full3_and_the_label_orders()
    {
        foreach (var verb in new[] { "train", "eval", "energy" })
        {
            var (code, output, err) = CliHarness.Run(verb, "--help");
            Assert.True(code == 0, err + output);
            Assert.Contains("--label-order", output);
            Assert.Contains("folders", output);
            if (verb != "eval") Assert.Contains("full3 (reference without --downsample", output); // eval takes the fusion from the checkpoint
        }
    }

    [Fact]
    public void Train_with_fusion_full3_saves_it_in_the_config_and_the_checkpoint()
    {
        using var dir = new TempDirectory();
        var run = dir.File("run");
        var (code, output, err) = CliHarness.Run("train", "--dataset", "synthetic", "--data-videos", "1", "--data-frames", "4", "--data-size", "32",
            "--image", "32", "--frames", "4", "--stride", "2", "--batch", "6", "--epochs", "1", "--no-eval", "--fusion", "full3", "--out", run);
        Assert.True(code == 0, err + output);
        using (var cfg = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
            Assert.Equal("full3", cfg.RootElement.GetProperty("model").GetProperty("fusion").GetString());
        Assert.Equal(FusionMode.Full3, Checkpoint.ReadConfig(Path.Combine(run, "last.safetensors")).Fusion);

        (code, _, err) = CliHarness.Run("train", "--dataset", "synthetic", "--fusion", "full4", "--out", dir.File("bad"));
        Assert.Equal(2, code);
        Assert.Contains("full4", err);
    }

    [Fact]
    public void Label_order_folders_is_refused_for_datasets_with_a_single_numbering()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliHarness.Run("train", "--dataset", "synthetic", "--label-order", "folders", "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains("--label-order folders applies to --dataset ucf101 only", err);
    }

    [RequiresFfmpegFact]
    public void A_run_trained_with_label_order_folders_is_evaluated_and_predicted_in_that_order()
    {
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "ucf");
        // classInd's numbering (as the official file) differs from Python's sorted(): HammerThrow < Hammering
        WriteCrlf(root, "classInd.txt", "1 Hammering", "2 HammerThrow");
        WriteCrlf(root, "trainlist01.txt", "Hammering/h1.avi 1", "Hammering/h2.avi 1", "HammerThrow/t1.avi 2", "HammerThrow/t2.avi 2");
        WriteCrlf(root, "testlist01.txt", "Hammering/h3.avi", "HammerThrow/t3.avi");
        foreach (var (cls, prefix) in new[] { ("Hammering", "h"), ("HammerThrow", "t") })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            for (int i = 1; i <= 3; i++) File.Copy(videos.Path(VideoFixtures.Xvid), Path.Combine(root, cls, $"{prefix}{i}.avi"));
        }
        string[] data = ["--dataset", "ucf101", "--root", root, "--cache", dir.File("cache"), "--short-side", "40"];
        var run = dir.File("run");
        var (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. data, "--label-order", "folders",
            "--image", "32", "--frames", "4", "--stride", "2", "--batch", "4", "--epochs", "1", "--optimizer", "adamw", "--lr", "0.001", "--out", run]);
        Assert.True(code == 0, err + output);
        using (var cfg = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
            Assert.Equal("folders", cfg.RootElement.GetProperty("data").GetProperty("label_order").GetString());
        var best = Path.Combine(run, "best.safetensors");
        Assert.Equal(["HammerThrow", "Hammering"], Checkpoint.ReadClassNames(best));

        // eval follows the checkpoint's order without the flag ...
        (code, output, err) = CliHarness.Run([.. new[] { "eval", "--checkpoint", best }, .. data, "--energy-samples", "0", "--out", dir.File("eval"), "--json", dir.File("eval.json")]);
        Assert.True(code == 0, err + output);
        using (var report = JsonDocument.Parse(File.ReadAllText(dir.File("eval.json"))))
            Assert.Equal(["HammerThrow", "Hammering"], report.RootElement.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        // ... and refuses the other order when it is asked for, saying why
        (code, _, err) = CliHarness.Run([.. new[] { "eval", "--checkpoint", best }, .. data, "--label-order", "classind", "--energy-samples", "0", "--out", dir.File("eval2")]);
        Assert.Equal(2, code);
        Assert.Contains("numbered differently: drop --label-order classind", err);

        // predict names classes from the checkpoint
        (code, output, err) = CliHarness.Run("predict", "--checkpoint", best, "--top", "2", Path.Combine(root, "Hammering", "h1.avi"), "--json", dir.File("pred.json"));
        Assert.True(code == 0, err + output);
        using var pred = JsonDocument.Parse(File.ReadAllText(dir.File("pred.json")));
        var labels = pred.RootElement[0].GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["HammerThrow", "Hammering"], labels);
    }
}
