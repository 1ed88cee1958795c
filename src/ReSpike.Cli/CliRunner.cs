using System.CommandLine;

namespace ReSpike.Cli;

/// <summary>Parses, maps errors to the contract's exit codes (0 ok, 2 bad usage, 1 failure) and prints errors to stderr.</summary>
static class CliRunner
{
    public const int Ok = 0, Failure = 1, BadUsage = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run 'respike --help' (or 'respike <verb> --help') for usage.");
            return BadUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadUsage;
        }
        catch (Exception e) when (Expected(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (Environment.GetEnvironmentVariable("RESPIKE_DEBUG") == "1") Console.Error.WriteLine(e);
            return Failure;
        }
        catch (Exception e)
        {
            // unexpected: still exit 1 with one line; RESPIKE_DEBUG=1 shows the stack
            Console.Error.WriteLine($"error: {Describe(e).Message}");
            if (Environment.GetEnvironmentVariable("RESPIKE_DEBUG") == "1") Console.Error.WriteLine(e);
            return Failure;
        }
    }

    /// <summary>Failures the user can act on from the message alone (printed without the exception's type).</summary>
    public static bool Expected(Exception e) =>
        e is IOException or InvalidDataException or InvalidOperationException or ArgumentException or UnauthorizedAccessException or OperationCanceledException;

    /// <summary>The one line printed after "error: " for an exception, and the exit code it maps to.</summary>
    public static (string Message, int ExitCode) Describe(Exception e) =>
        e is UsageException ? (e.Message, BadUsage) : Expected(e) ? (e.Message, Failure) : ($"{e.GetType().Name}: {e.Message}", Failure);
}

/// <summary>Bad command-line usage that the parser cannot see (e.g. two flags that contradict each other).</summary>
sealed class UsageException(string message) : Exception(message);
