using ReSpike.Cli;

namespace ReSpike.Tests.Cli;

/// <summary>Runs a `respike` verb in-process and captures its exit code, stdout and stderr.</summary>
static class CliHarness
{
    static readonly object ConsoleLock = new();

    public static (int ExitCode, string Out, string Err) Run(params string[] args)
    {
        lock (ConsoleLock)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
                {
                    Out = new Spectre.Console.AnsiConsoleOutput(stdout),
                    Interactive = Spectre.Console.InteractionSupport.No,
                    Ansi = Spectre.Console.AnsiSupport.No,
                });
                int code = CliRunner.Run(CliApp.Create(), args);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}
