using System.Runtime.InteropServices;

namespace ReSpike.Tests;

/// <summary>Tests of Linux-only behaviour (/proc, glibc): skipped elsewhere with the reason, never silently passed.</summary>
public sealed class RequiresLinuxFactAttribute : FactAttribute
{
    public RequiresLinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = $"needs Linux (/proc); this is {RuntimeInformation.OSDescription}";
    }
}

/// <summary>The libLibTorchSharp.so fix is for the Linux x64 natives the build copies; elsewhere these tests are skipped with the reason.</summary>
public sealed class RequiresLinuxX64FactAttribute : FactAttribute
{
    public RequiresLinuxX64FactAttribute()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            Skip = $"the libLibTorchSharp.so fix is for Linux x64; this is {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}";
    }
}
