using System.Reflection;
using System.Runtime.InteropServices;

namespace ReSpike.Distributed;

/// <summary>
/// Points MPI.NET's native calls at an MPICH-ABI library. MPI.NET declares its imports against MS-MPI's <c>msmpi.dll</c>; MS-MPI
/// and MPICH share the MPICH ABI (integer handles, same constants), so resolving that name to Debian's <c>libmpich.so.12</c>
/// (or the file named by RESPIKE_MPI_LIBRARY, e.g. Intel MPI's <c>libmpi.so.12</c>) makes the same bindings work on Linux.
/// </summary>
static class MpichLibrary
{
    /// <summary>Overrides the library loaded for MPI (a name or path).</summary>
    public const string Variable = "RESPIKE_MPI_LIBRARY";

    public const string Default = "libmpich.so.12";

    static int _installed;

    /// <summary>The library that was loaded (null until the first MPI call).</summary>
    public static string? Loaded { get; private set; }

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(MPI.Environment).Assembly, Resolve);
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (!name.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
        var library = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } chosen ? chosen : Default;
        if (!NativeLibrary.TryLoad(library, assembly, path, out var handle))
            throw new DllNotFoundException($"MPI: cannot load {library} (launched by an MPI launcher, so ReSpike needs an MPICH-ABI MPI library: " +
                                           $"Debian/Ubuntu: apt-get install mpich; or set {Variable} to your MPI's libmpi.so.12); see docs/distributed.md");
        Loaded = library;
        return handle;
    }
}
