using System.Runtime.InteropServices;

namespace ReSpike.Tests.Distributed;

/// <summary>Where MPICH's launcher is: mpiexec.mpich (Debian's name, unambiguous when Open MPI is installed too), else mpiexec.</summary>
static class MpiAvailability
{
    public static readonly string? Mpiexec = Find("mpiexec.mpich") ?? Find("mpiexec");

    public static readonly bool LibraryLoads = NativeLibrary.TryLoad("libmpich.so.12", out var handle) && Free(handle);

    public static string? SkipReason =>
        Mpiexec is null ? "needs MPICH's mpiexec on PATH (apt-get install mpich; .ci/run installs it)"
        : !LibraryLoads ? "needs libmpich.so.12 (apt-get install mpich; .ci/run installs it)"
        : null;

    static bool Free(IntPtr handle)
    {
        NativeLibrary.Free(handle);
        return true;
    }

    static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}

/// <summary>Tests that start `mpiexec -n N respike ...`: skipped, with the reason, where MPICH is not installed.</summary>
public sealed class RequiresMpiFactAttribute : FactAttribute
{
    /// <param name="sharedData">True when the test also reads ../shared/data's videos (then it needs ffmpeg too).</param>
    /// <param name="ffmpeg">True when the test decodes or makes videos.</param>
    public RequiresMpiFactAttribute(bool sharedData = false, bool ffmpeg = false)
    {
        if (MpiAvailability.SkipReason is { } reason) Skip = reason;
        else if (sharedData && Video.TestAvailability.SharedData is null) Skip = "needs ../shared/data (the project's shared data folder beside the repository)";
        else if ((sharedData || ffmpeg) && !ReSpike.Video.Ffmpeg.IsAvailable) Skip = Video.TestAvailability.NoFfmpeg;
    }
}
