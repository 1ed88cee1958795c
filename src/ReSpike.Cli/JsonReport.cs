namespace ReSpike.Cli;

/// <summary>The commands' `--json` writer: the library's <see cref="IO.JsonReport"/>, so eval's report.json and --json agree.</summary>
static class JsonReport
{
    public static void Write<T>(string path, T report) => IO.JsonReport.Write(path, report);
}
