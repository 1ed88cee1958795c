// Unix file modes and FIFOs: these tests run where Debian's ffmpeg does.
#pragma warning disable CA1416

using ReSpike.Video;

namespace ReSpike.Tests.Video;

/// <summary>Tests that decode video need Debian's ffmpeg and ffprobe (.ci/run installs them); elsewhere they are skipped, never silently passed.</summary>
public sealed class RequiresFfmpegFactAttribute : FactAttribute
{
    public RequiresFfmpegFactAttribute()
    {
        if (!Ffmpeg.IsAvailable) Skip = TestAvailability.NoFfmpeg;
    }
}

public sealed class RequiresFfmpegTheoryAttribute : TheoryAttribute
{
    public RequiresFfmpegTheoryAttribute()
    {
        if (!Ffmpeg.IsAvailable) Skip = TestAvailability.NoFfmpeg;
    }
}

/// <summary>Tests over the real clips in ../shared/data (beside the repository, found walking up); skipped on a clone without it.</summary>
public sealed class RequiresSharedDataFactAttribute : FactAttribute
{
    /// <param name="decodes">True when the test also runs ffmpeg.</param>
    public RequiresSharedDataFactAttribute(bool decodes = false)
    {
        if (TestAvailability.SharedData is null) Skip = "needs ../shared/data (the project's shared data folder beside the repository)";
        else if (decodes && !Ffmpeg.IsAvailable) Skip = TestAvailability.NoFfmpeg;
    }
}

/// <summary>For the unreadable-file case: chmod 000 stops nobody when the tests run as root.</summary>
public sealed class RequiresUnreadableFilesFactAttribute : FactAttribute
{
    public RequiresUnreadableFilesFactAttribute()
    {
        if (!Ffmpeg.IsAvailable) Skip = TestAvailability.NoFfmpeg;
        else if (!TestAvailability.PermissionsApply)
            Skip = "running as root: a chmod 000 file is still readable, so an unreadable file cannot be made here";
    }
}

static class TestAvailability
{
    public const string NoFfmpeg = "needs ffmpeg and ffprobe on PATH (apt-get install ffmpeg)";

    /// <summary>shared/data beside the repository, or null.</summary>
    public static string? SharedData { get; } = FindSharedData();

    static string? FindSharedData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (File.Exists(Path.Combine(candidate, "action_clips", "ffprobe_summary.tsv"))) return candidate;
        }
        return null;
    }

    static readonly Lazy<bool> PermissionsProbe = new(() =>
    {
        var file = Path.Combine(Path.GetTempPath(), $"respike-perm-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(file, "x");
            File.SetUnixFileMode(file, UnixFileMode.None);
            try { using var _ = File.OpenRead(file); return false; }
            catch (UnauthorizedAccessException) { return true; }
        }
        catch (Exception) { return false; }
        finally
        {
            try { File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite); File.Delete(file); } catch (Exception) { }
        }
    });

    /// <summary>True when a chmod 000 file really cannot be read (not root).</summary>
    public static bool PermissionsApply => PermissionsProbe.Value;
}
