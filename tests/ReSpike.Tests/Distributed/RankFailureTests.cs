using System.Diagnostics;
using System.Text.Json.Nodes;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Distributed;

/// <summary>
/// A rank that dies (kill -9) or hangs (SIGSTOP) in the middle of an epoch ends the job with a non-zero exit — the hang with
/// rank 0's own message after --mpi-timeout — leaving last.safetensors intact; --resume with another number of ranks finishes the run.
/// </summary>
public class RankFailureTests
{
    // 6 classes x 4 videos = 24 training clips, 2 per rank: 6 steps per epoch on 2 ranks, a resume point every 2 steps
    static readonly string[] Run =
    [
        "train", "--dataset", "synthetic", "--data-videos", "4", "--data-frames", "4", "--data-size", "32",
        "--model", "ann", "--image", "32", "--frames", "4", "--stride", "2", "--batch", "2", "--epochs", "2", "--optimizer", "sgd",
        "--lr", "0.01", "--seed", "11", "--threads", "1", "--save-every", "2",
    ];

    const int TimeoutSeconds = 15;

    [RequiresMpiFact]
    public void A_dead_or_hung_rank_ends_the_job_and_resume_with_another_rank_count_completes_it()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run"), last = Path.Combine(run, "last.safetensors");

        // a rank killed: the launcher ends the job at once (every rank, non-zero exit)
        var (code, output, seconds) = RunAndSignal([.. Run, "--out", run, "--mpi-timeout", "600"], Signal.Kill);
        Assert.True(code != 0, "the job survived a killed rank:\n" + output);
        Assert.True(seconds < 120, $"the job took {seconds:0} s to end after a rank was killed:\n{output}");
        Assert.True(State(last).Epoch < 2, "the killed job's resume point is the finished run's");

        // a rank hung: rank 0's collective times out, it names the call and aborts the job
        (code, output, seconds) = RunAndSignal(["train", "--out", run, "--resume", "--threads", "1", "--mpi-timeout", TimeoutSeconds.ToString()], Signal.Stop);
        Assert.Equal(3, code);
        Assert.Contains("error: rank 0 of 2: the other ranks did not join", output);
        Assert.Contains($"within {TimeoutSeconds} s (--mpi-timeout): a rank died or hangs", output);
        Assert.True(seconds < TimeoutSeconds + 60, $"the job took {seconds:0} s to end after a rank hung (timeout {TimeoutSeconds} s):\n{output}");
        var hungAt = State(last);
        Assert.True(hungAt.Epoch < 2, "the hung job's resume point is the finished run's");

        // one process continues from the clip position the two ranks reached
        (code, output) = CliProcess.Run(["train", "--out", run, "--resume", "--threads", "1"]);
        Assert.True(code == 0, "resume in one process failed:\n" + output);
        Assert.Contains($"resuming at epoch {hungAt.Epoch + 1}, step {hungAt.Step}", output);
        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([1, 2], metrics.Select(m => (int)m["epoch"]!));
        Assert.Equal(2, State(last).Epoch);
    }

    enum Signal { Kill, Stop }

    /// <summary>Starts the job on 2 ranks; once a resume point is newer than at the start, kills or stops rank 1; waits for the end.</summary>
    static (int Code, string Output, double SecondsAfterSignal) RunAndSignal(string[] args, Signal signal)
    {
        var last = Path.Combine(args[Array.IndexOf(args, "--out") + 1], "last.safetensors");
        var before = File.Exists(last) ? File.GetLastWriteTimeUtc(last) : DateTime.MinValue;
        using var job = CliProcess.Start(args, out var output, ranks: 2);
        var deadline = DateTime.UtcNow.AddMinutes(8);
        int? rank1 = null;
        while (!job.HasExited && DateTime.UtcNow < deadline && rank1 is null)
        {
            if (File.Exists(last) && File.GetLastWriteTimeUtc(last) > before) rank1 = Rank(job.Id, 1);
            Thread.Sleep(20);
        }
        Assert.True(rank1 is not null, $"no new resume point while the job ran (exit {(job.HasExited ? job.ExitCode : -1)}):\n{output}");
        Process.Start("kill", [signal == Signal.Kill ? "-KILL" : "-STOP", rank1.Value.ToString()])!.WaitForExit();
        var watch = Stopwatch.StartNew();
        if (!job.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            job.Kill(entireProcessTree: true);
            Assert.Fail($"the job did not end within 5 minutes of rank 1 being {(signal == Signal.Kill ? "killed" : "stopped")}:\n{output}");
        }
        job.WaitForExit();
        return (job.ExitCode, output.ToString(), watch.Elapsed.TotalSeconds);
    }

    /// <summary>The process of <paramref name="rank"/> among the descendants of the launcher (Hydra sets PMI_RANK in each).</summary>
    static int? Rank(int launcher, int rank)
    {
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            int pid = int.Parse(Path.GetFileName(dir));
            try
            {
                if (!DescendsFrom(pid, launcher)) continue;
                var environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (environment.Contains($"PMI_RANK={rank}")) return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    static bool DescendsFrom(int pid, int ancestor)
    {
        for (int depth = 0; depth < 8 && pid > 1; depth++)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // after the ")" that ends the command name: state, then the parent's pid
            pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            if (pid == ancestor) return true;
        }
        return false;
    }

    static TrainingState State(string checkpoint)
    {
        Assert.True(File.Exists(checkpoint), $"no checkpoint at {checkpoint}");
        return Training.HardKillResumeTests.ReadState(checkpoint);
    }
}
