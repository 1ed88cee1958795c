using System.Diagnostics;
using System.Text;

namespace ReSpike.Tests.Cli;

/// <summary>Runs the built CLI (respike.dll beside the tests) as a child process: alone, or as the ranks of an `mpiexec -n N` job.</summary>
static class CliProcess
{
    /// <summary>Runs to the end (at most 10 minutes) and returns the exit code and stdout+stderr.</summary>
    public static (int ExitCode, string Output) Run(string[] args, int ranks = 0)
    {
        using var child = Start(args, out var output, ranks);
        if (!child.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail("respike " + string.Join(' ', args) + " did not finish in 10 minutes:\n" + output);
        }
        child.WaitForExit();   // drains the output
        return (child.ExitCode, output.ToString());
    }

    /// <summary>Starts the CLI; <paramref name="ranks"/> &gt; 0 starts it under `mpiexec -n ranks` (<see cref="Distributed.MpiAvailability"/>).</summary>
    public static Process Start(string[] args, out StringBuilder output, int ranks = 0)
    {
        var dll = typeof(ReSpike.Cli.CliRunner).Assembly.Location;
        Assert.True(File.Exists(dll), $"the CLI is not built beside the tests: {dll}");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(ranks > 0 ? Distributed.MpiAvailability.Mpiexec! : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ranks > 0)
            foreach (var a in new[] { "-n", ranks.ToString(), dotnet }) info.ArgumentList.Add(a);
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var text = new StringBuilder();
        var child = new Process { StartInfo = info };
        child.OutputDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        child.Start();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        output = text;
        return child;
    }
}
