using System.Runtime.InteropServices;

namespace ReSpike.Runtime;

/// <summary>How glibc's malloc (which libtorch allocates tensors with) is configured for this process.</summary>
public enum AllocatorProfile
{
    /// <summary>glibc's defaults: blocks above a dynamic threshold (at most 32 MiB) are mmap'ed and unmapped on free.</summary>
    Default,
    /// <summary>
    /// Keep freed tensor memory in the process for reuse: large blocks come from the heap instead of fresh mmap'ed
    /// pages, so a training step's tensors do not page-fault again every step. See docs/performance.md.
    /// </summary>
    Reuse,
}

/// <summary>
/// glibc malloc tuning via mallopt(3), applied at start-up before the model allocates. The .NET GC does not manage
/// tensor memory: libtorch allocates it with posix_memalign, so freeing a large tensor normally returns it to the OS
/// and the next step pays page faults (zeroing) to get it back.
/// </summary>
public static class NativeAllocator
{
    // mallopt parameter numbers from glibc's malloc.h
    const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3, M_MMAP_MAX = -4, M_ARENA_MAX = -8;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int MallOpt(int parameter, int value);

    /// <summary>What was applied, e.g. "glibc-default" or "glibc-reuse(...)"; "unchanged" before any call.</summary>
    public static string Description { get; private set; } = "unchanged";

    public static AllocatorProfile? Current { get; private set; }

    /// <summary>Parses "default" or "reuse".</summary>
    public static AllocatorProfile Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "default" => AllocatorProfile.Default,
        "reuse" => AllocatorProfile.Reuse,
        _ => throw new ArgumentException($"unknown allocator profile '{name}'; choose default or reuse"),
    };

    /// <summary>Applies a profile (glibc/Linux only; elsewhere it only records that nothing changed). Returns whether mallopt accepted every setting.</summary>
    public static bool Apply(AllocatorProfile profile)
    {
        Current = profile;
        if (!OperatingSystem.IsLinux() || profile == AllocatorProfile.Default)
        {
            Description = OperatingSystem.IsLinux() ? "glibc-default" : "platform-default";
            return true;
        }
        try
        {
            // mmap threshold: glibc caps it at 32 MiB; with M_MMAP_MAX 0 no block is mmap'ed at all, so every tensor
            // comes from the heap and is reused after free. Trim threshold: never hand freed heap back to the OS.
            bool ok = MallOpt(M_MMAP_MAX, 0) == 1;
            ok &= MallOpt(M_TRIM_THRESHOLD, int.MaxValue) == 1;
            ok &= MallOpt(M_TOP_PAD, 64 << 20) == 1;
            ok &= MallOpt(M_ARENA_MAX, 2) == 1;
            Description = "glibc-reuse(mmap_max=0,trim_threshold=max,top_pad=64MiB,arena_max=2)" + (ok ? "" : " [partly rejected]");
            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Description = "unchanged (mallopt unavailable: " + e.Message + ")";
            return false;
        }
    }

    // unused parameter kept documented for experiments: M_MMAP_THRESHOLD (capped at 32 MiB by glibc)
    internal const int MmapThresholdParameter = M_MMAP_THRESHOLD;
}
