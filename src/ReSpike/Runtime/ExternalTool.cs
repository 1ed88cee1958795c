using System.Diagnostics;
using System.Text;

namespace ReSpike.Runtime;

/// <summary>Finds and runs command-line tools (ffmpeg, ffprobe) with a hard timeout.</summary>
public static class ExternalTool
{
    /// <summary>Full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    /// <summary>Runs a tool to completion and returns (exit code, stdout, stderr); kills it after the timeout.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string executable, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var stdout = new MemoryStream();
        var run = Run(executable, arguments, stdout, timeout);
        if (run.TimedOut) throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {timeout.TotalSeconds:0} s");
        return (run.ExitCode, Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length), run.StdErr);
    }

    /// <summary>
    /// The one process runner: starts the tool with no stdin, streams its stdout into <paramref name="stdout"/>, collects
    /// stderr, and kills the whole process tree once <paramref name="timeout"/> has passed (then <see cref="ToolRun.TimedOut"/>).
    /// </summary>
    public static ToolRun Run(string executable, IEnumerable<string> arguments, Stream stdout, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.StandardInput.Close();
        // stderr drains on its own so a chatty tool never blocks on a full pipe while stdout is copied
        var stderr = process.StandardError.ReadToEndAsync();
        int timedOut = 0;
        using (new Timer(_ =>
               {
                   Volatile.Write(ref timedOut, 1);
                   try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
               }, null, timeout, Timeout.InfiniteTimeSpan))
        {
            process.StandardOutput.BaseStream.CopyTo(stdout, 1 << 20);
            process.WaitForExit();
        }
        return new ToolRun(process.ExitCode, stderr.Result, Volatile.Read(ref timedOut) == 1);
    }
}

/// <summary>How a run of an external tool ended: its exit code, its stderr, and whether the timeout killed it.</summary>
public readonly record struct ToolRun(int ExitCode, string StdErr, bool TimedOut);
