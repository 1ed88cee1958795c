using ReSpike.Runtime;

namespace ReSpike.Tests;

/// <summary>
/// Tests that cross-check against the PyTorch reference run when Debian's python3-torch is installed
/// (.ci/run installs it); elsewhere they are reported as skipped, never silently passed.
/// </summary>
public sealed class RequiresReferenceFactAttribute : FactAttribute
{
    public RequiresReferenceFactAttribute()
    {
        if (!ReferencePython.Available)
            Skip = "needs ../shared/reference/respike_ref.py and /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)";
    }
}

static class ReferencePython
{
    public const string Python = "/usr/bin/python3";
    static readonly Lazy<bool> Probe = new(() =>
    {
        if (!File.Exists(Python) || ReferenceDirectory is null) return false;
        try { return ExternalTool.Run(Python, ["-c", "import torch, torchvision"], TimeSpan.FromSeconds(60)).ExitCode == 0; }
        catch (Exception) { return false; }
    });

    public static bool Available => Probe.Value;

    /// <summary>The folder holding respike_ref.py: shared/reference beside the repository (found walking up), or null.</summary>
    public static string? ReferenceDirectory { get; } = FindReference();

    static string? FindReference()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference");
            if (File.Exists(Path.Combine(candidate, "respike_ref.py"))) return candidate;
        }
        return null;
    }

    /// <summary>Runs a Python script; fails the test with its stderr when it fails.</summary>
    public static string Run(string script, params string[] args)
    {
        var (code, stdout, stderr) = ExternalTool.Run(Python, ["-c", script, .. args], TimeSpan.FromMinutes(5));
        if (code != 0) throw new Xunit.Sdk.XunitException($"python failed ({code}): {stderr}");
        return stdout;
    }
}
