using System.Runtime.InteropServices;

namespace ReSpike.Runtime;

/// <summary>
/// gperftools' tcmalloc as the process's malloc, which libtorch allocates every CPU tensor with. A malloc can only be
/// replaced before the process starts (LD_PRELOAD), so a command that wants it starts itself again with the library
/// preloaded (<see cref="Relaunch"/>: execve of the same program and arguments, same PID, same open files), as Intel's
/// PyTorch launcher does. tcmalloc keeps freed tensor memory for reuse without glibc's fragmentation: training runs
/// without page faults at a lower peak RSS than glibc's heap (measurements: docs/performance.md).
/// </summary>
public static class PreloadedAllocator
{
    /// <summary>The shared object's name (Debian/Ubuntu: apt-get install libtcmalloc-minimal4).</summary>
    public const string LibraryName = "libtcmalloc_minimal.so.4";

    /// <summary>Set in the environment of the relaunched process, so that a failed preload cannot loop.</summary>
    public const string RelaunchedVariable = "RESPIKE_ALLOCATOR_RELAUNCHED";

    /// <summary>Overrides where the library is looked for (a full path).</summary>
    public const string PathVariable = "RESPIKE_TCMALLOC";

    static readonly string[] SearchDirectories =
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/lib/x86_64-linux-gnu", "/lib64"];

    /// <summary>The installed library's path, or null when it is not installed (or this is not Linux).</summary>
    public static string? Find()
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } given) return File.Exists(given) ? Path.GetFullPath(given) : null;
        return SearchDirectories.Select(d => Path.Combine(d, LibraryName)).FirstOrDefault(File.Exists);
    }

    /// <summary>Whether tcmalloc is mapped into this process (it was preloaded).</summary>
    public static bool IsLoaded() => LoadedPath() is not null;

    /// <summary>The path of the tcmalloc library mapped into this process, or null.</summary>
    public static string? LoadedPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libtcmalloc", StringComparison.Ordinal)) return line[slash..];
        }
        return null;
    }

    /// <summary>
    /// The environment of the relaunched process: <paramref name="current"/> with <paramref name="library"/> first in
    /// LD_PRELOAD (kept: anything already preloaded) and <see cref="RelaunchedVariable"/> set.
    /// </summary>
    public static IReadOnlyList<string> RelaunchEnvironment(IReadOnlyDictionary<string, string> current, string library)
    {
        var env = new Dictionary<string, string>(current, StringComparer.Ordinal);
        env["LD_PRELOAD"] = current.TryGetValue("LD_PRELOAD", out var preload) && preload.Length > 0 ? $"{library}:{preload}" : library;
        env[RelaunchedVariable] = "1";
        return [.. env.Select(kv => $"{kv.Key}={kv.Value}")];
    }

    /// <summary>
    /// Hands tcmalloc's free pages back to the kernel (MallocExtension_ReleaseFreeMemory). Returns false, doing nothing,
    /// when tcmalloc is not this process's malloc.
    /// </summary>
    public static bool ReleaseFreeMemory()
    {
        if (!(_loaded ??= IsLoaded())) return false;
        MallocExtensionReleaseFreeMemory();
        return true;
    }

    static bool? _loaded;

    [DllImport(LibraryName, EntryPoint = "MallocExtension_ReleaseFreeMemory")]
    static extern void MallocExtensionReleaseFreeMemory();

    /// <summary>This process's argument vector as the kernel started it (argv[0] included).</summary>
    public static string[] CommandLine()
    {
        var raw = File.ReadAllBytes("/proc/self/cmdline");
        var text = System.Text.Encoding.UTF8.GetString(raw);
        return text.TrimEnd('\0').Split('\0');
    }

    /// <summary>
    /// Replaces this process with the same program and arguments, <paramref name="library"/> preloaded. Returns only on
    /// failure (with the reason); flushes the console first. Call before anything worth keeping is in memory.
    /// </summary>
    public static string Relaunch(string library)
    {
        if (Environment.GetEnvironmentVariable(RelaunchedVariable) == "1")
            return $"already relaunched once with LD_PRELOAD={Environment.GetEnvironmentVariable("LD_PRELOAD")}, yet {LibraryName} is not loaded";
        var current = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        string?[] argv = [.. CommandLine(), null];
        string?[] envp = [.. RelaunchEnvironment(current, library), null];
        Console.Out.Flush();
        Console.Error.Flush();
        Execve("/proc/self/exe", argv, envp);
        return $"execve failed: {Marshal.GetLastPInvokeErrorMessage()}";
    }

    // LPStr is UTF-8 on Unix
    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    static extern int Execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
                             [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
                             [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
