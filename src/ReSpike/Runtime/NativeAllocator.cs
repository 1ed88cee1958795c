using System.Runtime.InteropServices;

namespace ReSpike.Runtime;

/// <summary>How glibc's malloc, which libtorch allocates every CPU tensor with, is configured for this process.</summary>
public enum AllocatorProfile
{
    /// <summary>glibc's defaults: blocks above a dynamic threshold (at most 32 MiB) get their own mapping.</summary>
    Default,
    /// <summary>
    /// Fastest: no block is mmap'ed and freed memory is never returned, so tensor memory is reused without page
    /// faults after the first step. Peak RSS grows with heap fragmentation (about 1.5x the live peak in training).
    /// </summary>
    Reuse,
    /// <summary>
    /// Smallest: every block of 256 KiB or more gets its own mapping and is returned when freed, so RSS follows the
    /// live tensors. Costs a page fault per 4 KiB of every large tensor (training about 2x slower than Reuse here).
    /// </summary>
    Compact,
    /// <summary>
    /// gperftools' tcmalloc instead of glibc's malloc (<see cref="PreloadedAllocator"/>, preloaded at start-up): freed
    /// memory is reused without page faults and with less fragmentation than glibc's heap. Training here: as fast as
    /// glibc's default at about 280 MiB less peak RSS (docs/performance.md).
    /// </summary>
    Tcmalloc,
}

/// <summary>
/// glibc malloc tuning via mallopt(3), applied at start-up before the model allocates. The .NET GC does not manage
/// tensor memory: libtorch allocates it with posix_memalign, so how malloc recycles large blocks decides both the
/// page-fault cost per step and the peak RSS. Measurements: docs/performance.md.
/// </summary>
public static class NativeAllocator
{
    // mallopt parameter numbers from glibc's malloc.h, under glibc's names
#pragma warning disable IDE1006
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_MMAP_MAX = -4;
#pragma warning restore IDE1006
    const int CompactMmapThreshold = 256 << 10;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int MallOpt(int parameter, int value);

    /// <summary>What was applied, e.g. "glibc-reuse(...)"; "unchanged" before any call.</summary>
    public static string Description { get; private set; } = "unchanged";

    /// <summary>Names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> ProfileNames { get; } = ["default", "reuse", "compact", "tcmalloc"];

    /// <summary>What a command's --allocator accepts: "auto" and the profile names.</summary>
    public static IReadOnlyList<string> Choices { get; } = ["auto", .. ProfileNames];

    /// <summary>
    /// The profile for a --allocator choice: "auto" picks tcmalloc for training when it is installed (fast, and the
    /// smallest peak RSS that keeps speed; glibc's default otherwise) and reuse for inference (no page faults after the
    /// first step); a profile name is itself.
    /// </summary>
    public static AllocatorProfile Choose(string choice, bool training) =>
        choice.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? (training ? (PreloadedAllocator.Find() is not null ? AllocatorProfile.Tcmalloc : AllocatorProfile.Default) : AllocatorProfile.Reuse)
            : Parse(choice);

    public static AllocatorProfile Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "default" => AllocatorProfile.Default,
        "reuse" => AllocatorProfile.Reuse,
        "compact" => AllocatorProfile.Compact,
        "tcmalloc" => AllocatorProfile.Tcmalloc,
        _ => throw new ArgumentException($"unknown allocator profile '{name}'; choose one of {string.Join(", ", ProfileNames)}"),
    };

    /// <summary>
    /// Applies a profile: once, before large allocations (glibc keeps what it already holds). Linux/glibc only;
    /// elsewhere it records that nothing changed. Returns whether every setting was accepted.
    /// </summary>
    public static bool Apply(AllocatorProfile profile)
    {
        if (profile == AllocatorProfile.Tcmalloc)
        {
            // nothing to tune: it is either the process's malloc already or it cannot become it any more
            var loaded = PreloadedAllocator.LoadedPath();
            Description = loaded is null ? "glibc-default (tcmalloc not preloaded)" : $"tcmalloc (preloaded {loaded})";
            return loaded is not null;
        }
        if (!OperatingSystem.IsLinux() || profile == AllocatorProfile.Default)
        {
            Description = OperatingSystem.IsLinux() ? "glibc-default" : "platform-default";
            return true;
        }
        try
        {
            bool ok = profile switch
            {
                // no mmap'ed blocks at all, and never trim the heap top: freed tensors stay mapped for reuse
                AllocatorProfile.Reuse => MallOpt(M_MMAP_MAX, 0) == 1 & MallOpt(M_TRIM_THRESHOLD, int.MaxValue) == 1,
                // a fixed (non-adaptive) threshold: glibc otherwise raises it up to 32 MiB as blocks are freed
                AllocatorProfile.Compact => MallOpt(M_MMAP_THRESHOLD, CompactMmapThreshold) == 1,
                _ => true,
            };
            Description = profile switch
            {
                AllocatorProfile.Reuse => "glibc-reuse(mmap_max=0,trim_threshold=max)",
                AllocatorProfile.Compact => "glibc-compact(mmap_threshold=256KiB)",
                _ => "glibc-default",
            } + (ok ? "" : " [rejected by mallopt]");
            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Description = "unchanged (mallopt unavailable: " + e.Message + ")";
            return false;
        }
    }
}
