using System.Text.Json.Nodes;
using ReSpike.IO.SafeTensors;
using ReSpike.Tests.IO;

namespace ReSpike.Tests.Cli;

/// <summary>`train --config NAME|FILE`, `--set`, `--resume CKPT` and `--init FILE` through the CLI on tiny synthetic runs.</summary>
public class NamedConfigCliTests
{
    static readonly string[] Tiny =
        ["--dataset", "synthetic", "--data-videos", "2", "--data-frames", "4", "--data-size", "32", "--image", "32", "--frames", "4", "--stride", "2", "--batch", "6",
         "--optimizer", "adamw", "--lr", "1e-3", "--min-crop-scale", "0.5", "--seed", "7"];

    static readonly string[] Timing = ["seconds", "clips_per_s"];

    static void AssertSameRun(string expected, string actual)
    {
        var (a, b) = (File.ReadAllLines(Path.Combine(expected, "metrics.jsonl")), File.ReadAllLines(Path.Combine(actual, "metrics.jsonl")));
        Assert.Equal(a.Length, b.Length);
        Assert.NotEmpty(a);
        for (int i = 0; i < a.Length; i++)
        {
            var (x, y) = (JsonNode.Parse(a[i])!.AsObject(), JsonNode.Parse(b[i])!.AsObject());
            foreach (var f in Timing) { x.Remove(f); y.Remove(f); }
            Assert.True(x.ContainsKey("train_loss") && x.ContainsKey("clip_top1"), a[i]);
            Assert.Equal(x.ToJsonString(), y.ToJsonString());
        }
        var (first, second) = (SafeTensorsFile.Load(Path.Combine(expected, "last.safetensors")), SafeTensorsFile.Load(Path.Combine(actual, "last.safetensors")));
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach (var name in first.Keys) TensorAssert.Equal(first[name], second[name], name);
    }

    [Fact]
    public void A_runs_config_json_alone_reproduces_the_run()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "2", "--out", dir.File("x")]);
        Assert.True(code == 0, err + output);
        (code, output, err) = CliHarness.Run("train", "--config", dir.File("x/config.json"), "--out", dir.File("y"));
        Assert.True(code == 0, err + output);
        AssertSameRun(dir.File("x"), dir.File("y"));
        Assert.Equal(File.ReadAllText(dir.File("x/config.json")), File.ReadAllText(dir.File("y/config.json")));

        // --set on the saved config changes one field: one epoch instead of two
        (code, output, err) = CliHarness.Run("train", "--config", dir.File("x/config.json"), "--set", "epochs=1", "--out", dir.File("z"));
        Assert.True(code == 0, err + output);
        Assert.Single(File.ReadAllLines(dir.File("z/metrics.jsonl")));
        Assert.Equal(File.ReadAllText(dir.File("x/config.json")).Replace("\"epochs\": 2", "\"epochs\": 1"), File.ReadAllText(dir.File("z/config.json")));
    }

    [Fact]
    public void Resume_a_named_checkpoint_in_its_folder_or_into_another_out()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "1", "--out", dir.File("one")]);
        Assert.True(code == 0, err + output);
        var oneMetrics = File.ReadAllLines(dir.File("one/metrics.jsonl"));

        // into another --out: the checkpoint and its metrics are copied there, the original run is left alone
        (code, output, err) = CliHarness.Run("train", "--resume", dir.File("one/last.safetensors"), "--epochs", "2", "--out", dir.File("fork"));
        Assert.True(code == 0, err + output);
        Assert.Contains("resuming at epoch 2", output);
        Assert.Equal(oneMetrics, File.ReadAllLines(dir.File("one/metrics.jsonl")));
        var forked = File.ReadAllLines(dir.File("fork/metrics.jsonl"));
        Assert.Equal(2, forked.Length);
        Assert.Equal(oneMetrics[0], forked[0]);

        // without --out: continues in the checkpoint's own folder, to the same weights
        (code, output, err) = CliHarness.Run("train", "--resume", dir.File("one/last.safetensors"), "--epochs", "2");
        Assert.True(code == 0, err + output);
        AssertSameRun(dir.File("fork"), dir.File("one"));

        // a fork into a folder that already holds a run is refused
        (code, _, err) = CliHarness.Run("train", "--resume", dir.File("one/last.safetensors"), "--out", dir.File("fork"));
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", err);
    }

    [Fact]
    public void Init_starts_a_new_run_from_a_checkpoints_weights_strictly()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run("init", "--classes", "6", "--image", "32", "--frames", "4", "--stride", "2", "--seed", "3", "--out", dir.File("w.safetensors"));
        Assert.True(code == 0, err + output);
        (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "1", "--no-eval", "--init", dir.File("w.safetensors"), "--out", dir.File("a")]);
        Assert.True(code == 0, err + output);
        Assert.Contains("(--init)", output);
        Assert.Contains($"\"init\": ", File.ReadAllText(dir.File("a/config.json")));
        // the same init again gives the same run; the seed's own initialisation gives another
        (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "1", "--no-eval", "--init", dir.File("w.safetensors"), "--out", dir.File("b")]);
        Assert.True(code == 0, err + output);
        (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "1", "--no-eval", "--out", dir.File("c")]);
        Assert.True(code == 0, err + output);
        var (a, b, c) = (SafeTensorsFile.Load(dir.File("a/last.safetensors")), SafeTensorsFile.Load(dir.File("b/last.safetensors")), SafeTensorsFile.Load(dir.File("c/last.safetensors")));
        var weight = a.Keys.First(k => k.EndsWith(".weight", StringComparison.Ordinal) && !k.StartsWith("optimizer.", StringComparison.Ordinal));
        TensorAssert.Equal(a[weight], b[weight], weight);
        TensorAssert.NotEqual(a[weight], c[weight], weight);

        // a checkpoint of another shape (5 classes: the head differs) is refused naming the file
        (code, output, err) = CliHarness.Run("init", "--classes", "5", "--image", "32", "--frames", "4", "--stride", "2", "--out", dir.File("five.safetensors"));
        Assert.True(code == 0, err + output);
        (code, _, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "1", "--no-eval", "--init", dir.File("five.safetensors"), "--out", dir.File("d")]);
        Assert.Equal(1, code);
        Assert.Contains("--init " + dir.File("five.safetensors"), err);
        Assert.False(File.Exists(dir.File("d/last.safetensors")));
    }
}
