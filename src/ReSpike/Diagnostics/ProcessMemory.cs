using System.Globalization;

namespace ReSpike.Diagnostics;

/// <summary>
/// Resident memory of this process as the kernel accounts it (/proc/self/status): native tensors included,
/// which the .NET GC does not see. Linux only; elsewhere the values are null.
/// </summary>
public static class ProcessMemory
{
    const string StatusFile = "/proc/self/status";

    /// <summary>Peak resident set size in MiB (VmHWM): what the reference reports as ru_maxrss.</summary>
    public static double? PeakResidentMb() => ReadKilobytes("VmHWM:") / 1024.0;

    /// <summary>Current resident set size in MiB (VmRSS).</summary>
    public static double? ResidentMb() => ReadKilobytes("VmRSS:") / 1024.0;

    static double? ReadKilobytes(string field)
    {
        if (!File.Exists(StatusFile)) return null;
        foreach (var line in File.ReadLines(StatusFile))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            // e.g. "VmHWM:\t  123456 kB"
            var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)) return kb;
        }
        return null;
    }
}
