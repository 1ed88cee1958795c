using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReSpike.IO.SafeTensors;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using static TorchSharp.torch;

namespace ReSpike.Tests.Distributed;

/// <summary>
/// `mpiexec -n 2 respike train` against one process: the same loss curve and weights (1e-5 relative) as gradient accumulation over
/// the same micro-batches, and — with BatchNorm frozen — as one batch of both micro-batches.
/// </summary>
public class DataParallelTrainingTests
{
    // 6 classes x 2 videos = 12 training clips: with 4 clips per step, 3 steps per epoch, 6 in all; a run.log line per step
    static readonly string[] Tiny =
    [
        "train", "--dataset", "synthetic", "--data-videos", "2", "--data-frames", "4", "--data-size", "32",
        "--model", "ann", "--image", "32", "--frames", "4", "--stride", "2", "--epochs", "2", "--optimizer", "sgd",
        "--lr", "0.01", "--min-crop-scale", "0.5", "--seed", "11", "--threads", "1", "--set", "log_every=1",
    ];

    static readonly string[] RunningStatistics = ["running_mean", "running_var", "num_batches_tracked"];

    [RequiresMpiFact]
    public void Two_ranks_train_as_one_process_accumulating_the_same_two_micro_batches()
    {
        using var dir = new TempDirectory();
        string ranks = dir.File("ranks"), accumulated = dir.File("accumulated");
        Run([.. Tiny, "--batch", "2", "--out", ranks], ranks: 2);
        Run([.. Tiny, "--batch", "2", "--accumulate", "2", "--out", accumulated]);

        Assert.Contains("global_batch=4 batch=2 ranks=2 accumulate=1", File.ReadAllText(Path.Combine(ranks, "run.log")));
        Assert.Contains("global_batch=4 batch=2 ranks=1 accumulate=2", File.ReadAllText(Path.Combine(accumulated, "run.log")));
        AssertSameCurve(accumulated, ranks);
        // BatchNorm's running statistics are the one difference: two ranks average theirs after each step, one process
        // updates them micro-batch after micro-batch (docs/distributed.md)
        AssertSameTensors(accumulated, ranks, skip: RunningStatistics);
    }

    [RequiresMpiFact]
    public void With_BatchNorm_frozen_two_ranks_of_b_over_2_train_as_one_batch_of_b()
    {
        using var dir = new TempDirectory();
        string ranks = dir.File("ranks"), single = dir.File("single");
        Run([.. Tiny, "--freeze-bn", "--batch", "2", "--out", ranks], ranks: 2);
        Run([.. Tiny, "--freeze-bn", "--batch", "4", "--out", single]);

        AssertSameCurve(single, ranks);
        AssertSameTensors(single, ranks, skip: []);
    }

    static void Run(string[] args, int ranks = 0)
    {
        var (code, output) = CliProcess.Run(args, ranks);
        Assert.True(code == 0, $"respike {string.Join(' ', args)} ({(ranks > 0 ? ranks + " ranks" : "one process")}) failed ({code}):\n{output}");
    }

    /// <summary>Per-step losses of run.log and the epochs of metrics.jsonl agree to 1e-5 relative (run.log prints 4 decimals).</summary>
    static void AssertSameCurve(string expectedRun, string actualRun)
    {
        var (expectedSteps, actualSteps) = (StepLosses(expectedRun), StepLosses(actualRun));
        Assert.Equal(6, expectedSteps.Count);
        Assert.Equal(expectedSteps.Count, actualSteps.Count);
        for (int s = 0; s < expectedSteps.Count; s++)
            Assert.True(Math.Abs(expectedSteps[s] - actualSteps[s]) <= 1e-5 * expectedSteps[s] + 0.5e-4,   // + half the last printed digit
                $"step {s + 1}: loss {actualSteps[s]} vs {expectedSteps[s]}");
        var expected = File.ReadAllLines(Path.Combine(expectedRun, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var actual = File.ReadAllLines(Path.Combine(actualRun, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (int e = 0; e < expected.Count; e++)
        {
            double a = (double)expected[e]["train_loss"]!, b = (double)actual[e]["train_loss"]!;
            Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Abs(a), $"epoch {e + 1}: train loss {b} vs {a}");
            Assert.Equal((double)expected[e]["train_top1"]!, (double)actual[e]["train_top1"]!);
            Assert.Equal((int)expected[e]["train_clips"]!, (int)actual[e]["train_clips"]!);
            Assert.Equal((double)expected[e]["clip_top1"]!, (double)actual[e]["clip_top1"]!);
        }
    }

    static List<double> StepLosses(string run) =>
        File.ReadAllLines(Path.Combine(run, "run.log")).Select(l => Regex.Match(l, @" step=\d+/\d+ loss=(\S+)")).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>Every tensor of last.safetensors (weights and optimizer state) within 1e-5 of the largest magnitude of its tensor.</summary>
    static void AssertSameTensors(string expectedRun, string actualRun, string[] skip)
    {
        var expected = SafeTensorsFile.Load(Path.Combine(expectedRun, "last.safetensors"));
        var actual = SafeTensorsFile.Load(Path.Combine(actualRun, "last.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        int compared = 0;
        foreach (var name in expected.Keys.Where(k => !skip.Any(s => k.EndsWith(s, StringComparison.Ordinal))))
        {
            using var a = expected[name].to_type(ScalarType.Float64);
            using var b = actual[name].to_type(ScalarType.Float64);
            double scale = a.abs().max().item<double>(), difference = (a - b).abs().max().item<double>();
            Assert.True(difference <= 1e-5 * Math.Max(scale, 1e-3),
                string.Create(CultureInfo.InvariantCulture, $"{name}: differs by {difference:G3} (largest magnitude {scale:G3})"));
            compared++;
        }
        Assert.True(compared > 100, $"only {compared} tensors compared");
    }
}
