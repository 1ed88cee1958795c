using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReSpike.IO.SafeTensors;
using ReSpike.Models;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

/// <summary>
/// `kill -9` of a real `respike train` process in the middle of an epoch (while it is writing last.safetensors),
/// then `--resume` in a new process: the run ends with the weights, optimizer state and metrics of an uninterrupted run.
/// </summary>
public class HardKillResumeTests
{
    // 6 classes x 2 videos = 12 training clips, batch 2: 6 steps per epoch, a resume point every 2 steps
    static readonly string[] Run =
    [
        "train", "--dataset", "synthetic", "--data-videos", "2", "--data-frames", "4", "--data-size", "32",
        "--model", "ann", "--image", "32", "--frames", "4", "--stride", "2", "--batch", "2", "--epochs", "2",
        "--lr", "0.01", "--min-crop-scale", "0.5", "--seed", "11", "--threads", "2",
    ];

    // wall-clock fields: the only ones a resumed run may differ in
    static readonly string[] Timing = ["seconds", "clips_per_s"];

    [Fact]
    public void A_run_killed_while_saving_mid_epoch_resumes_to_the_uninterrupted_result()
    {
        using var dir = new TempDirectory();
        string straight = dir.File("straight"), killed = dir.File("killed");

        var (code, log) = RunCli([.. Run, "--out", straight]);
        Assert.True(code == 0, "uninterrupted run failed:\n" + log);

        // start the same run with a resume point every 2 steps; as soon as the first one exists, kill the process
        // (SIGKILL: no handler runs, nothing is flushed). Where exactly the kill lands (between steps, or while the
        // next resume point is being written) depends on the machine's load; every such point must resume exactly.
        int killedPid;
        using (var child = Start([.. Run, "--save-every", "2", "--out", killed], out var output))
        {
            killedPid = child.Id;
            var last = Path.Combine(killed, "last.safetensors");
            var deadline = DateTime.UtcNow.AddMinutes(10);
            bool killedIt = false;
            while (!child.HasExited && DateTime.UtcNow < deadline)
            {
                if (File.Exists(last))
                {
                    child.Kill();
                    killedIt = true;
                    break;
                }
                Thread.Sleep(1);
            }
            child.WaitForExit();
            Assert.True(killedIt, $"the run ended (exit {(child.HasExited ? child.ExitCode : -1)}) before its first resume point was written:\n{output}");
            Assert.Equal(137, child.ExitCode);   // 128 + SIGKILL
        }

        // the last complete resume point survived the kill, and the run was not finished
        var state = ReadState(Path.Combine(killed, "last.safetensors"));
        var finished = ReadState(Path.Combine(straight, "last.safetensors"));
        Assert.True((state.Epoch, state.Step) != (finished.Epoch, finished.Step) && state.Epoch < finished.Epoch,
            $"the killed run's resume point (epoch {state.Epoch}, step {state.Step}) is the finished run's");
        // a stale temp file of the killed writer (half a checkpoint) must not break the resume
        var stale = Path.Combine(killed, $".last.safetensors.{killedPid}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a checkpoint");

        (code, log) = RunCli(["train", "--out", killed, "--resume", "--threads", "2"]);
        Assert.True(code == 0, "resumed run failed:\n" + log);
        Assert.Contains($"resuming at epoch {state.Epoch + 1}, step {state.Step}", log);
        Assert.DoesNotContain(Directory.GetFiles(killed).Select(Path.GetFileName), f => f!.EndsWith(".tmp", StringComparison.Ordinal));

        AssertSameMetrics(Path.Combine(straight, "metrics.jsonl"), Path.Combine(killed, "metrics.jsonl"));
        foreach (var file in new[] { "last.safetensors", "best.safetensors" })
        {
            var expected = SafeTensorsFile.Load(Path.Combine(straight, file));
            var actual = SafeTensorsFile.Load(Path.Combine(killed, file));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            if (file == "last.safetensors") Assert.Contains(expected.Keys, k => k.StartsWith(Checkpoint.OptimizerPrefix, StringComparison.Ordinal));
            foreach (var name in expected.Keys) TensorAssert.Equal(expected[name], actual[name], $"{file}: {name}");
        }
        Assert.Equal(ReadState(Path.Combine(straight, "last.safetensors")).BestEpoch, ReadState(Path.Combine(killed, "last.safetensors")).BestEpoch);
    }

    static void AssertSameMetrics(string expectedPath, string actualPath)
    {
        var expected = File.ReadAllLines(expectedPath);
        var actual = File.ReadAllLines(actualPath);
        Assert.Equal(2, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var (a, b) = (JsonNode.Parse(expected[i])!.AsObject(), JsonNode.Parse(actual[i])!.AsObject());
            foreach (var f in Timing) { a.Remove(f); b.Remove(f); }
            Assert.True(a.ContainsKey("clip_top1") && a.ContainsKey("train_loss"), expected[i]);
            Assert.Equal(a.ToJsonString(), b.ToJsonString());
        }
    }

    internal static TrainingState ReadState(string checkpoint) =>
        JsonSerializer.Deserialize<TrainingState>(Checkpoint.ReadMetadata(checkpoint)[TrainingCheckpoint.StateKey],
            new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!;

    static (int ExitCode, string Output) RunCli(string[] args) => CliProcess.Run(args);

    static Process Start(string[] args, out StringBuilder output) => CliProcess.Start(args, out output);
}
