using System.Diagnostics;
using System.Globalization;
using MPI;
using static TorchSharp.torch;

namespace ReSpike.Distributed;

/// <summary>
/// The ranks of an MPI job (MPI.NET over an MPICH-ABI library, see <see cref="MpichLibrary"/>). Tensors are reduced in place
/// through their memory (no managed copy); every collective is watched by a <see cref="CollectiveWatchdog"/>, so a rank that
/// died or hangs ends the job after the timeout with a message naming the call, instead of blocking forever.
/// </summary>
public sealed class MpiProcessGroup : IProcessGroup
{
    /// <summary>Exit code of a job aborted by the timeout.</summary>
    public const int TimeoutExitCode = 3;

    readonly MPI.Environment _environment;
    readonly Intracommunicator _world;
    readonly CollectiveWatchdog _watchdog;
    readonly Stopwatch _communication = new();

    internal MpiProcessGroup(double timeoutSeconds)
    {
        MpichLibrary.Install();
        var args = System.Environment.GetCommandLineArgs();
        // the watchdog aborts from its own thread while the main thread is blocked in a collective
        _environment = new MPI.Environment(ref args, Threading.Multiple);
        _world = Communicator.world;
        TimeoutSeconds = timeoutSeconds;
        _watchdog = new CollectiveWatchdog(timeoutSeconds, Abort);
    }

    public int Rank => _world.Rank;
    public int Size => _world.Size;
    public double TimeoutSeconds { get; }
    public double CommunicationSeconds => _communication.Elapsed.TotalSeconds;

    public string Describe() => $"MPI ({MpichLibrary.Loaded ?? MpichLibrary.Default}): rank {Rank} of {Size}, collectives time out after {TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s";

    public void AllreduceSum(Tensor flat, string what)
    {
        if (flat.device_type != TorchSharp.DeviceType.CPU || !flat.is_contiguous())
            throw new ArgumentException("allreduce: the buffer must be a contiguous CPU tensor");
        int type = flat.dtype switch
        {
            ScalarType.Float32 => Unsafe.MPI_FLOAT,
            ScalarType.Float64 => Unsafe.MPI_DOUBLE,
            _ => throw new ArgumentException($"allreduce: float32 or float64 buffers only, got {flat.dtype}"),
        };
        long count = flat.numel();
        if (count > int.MaxValue) throw new ArgumentException($"allreduce: {count} elements exceed one MPI call; use smaller buckets");
        using var received = empty_like(flat);
        Collective(what, () => Check(Unsafe.MPI_Allreduce(Address(flat), Address(received), (int)count, type, Unsafe.MPI_SUM, Unsafe.MPI_COMM_WORLD), what));
        flat.copy_(received);
    }

    public unsafe void AllreduceSum(double[] values, string what)
    {
        var sums = new double[values.Length];
        fixed (double* send = values, receive = sums)
        {
            var (from, to) = ((nint)send, (nint)receive);
            Collective(what, () => Check(Unsafe.MPI_Allreduce(from, to, values.Length, Unsafe.MPI_DOUBLE, Unsafe.MPI_SUM, Unsafe.MPI_COMM_WORLD), what));
        }
        sums.CopyTo(values, 0);
    }

    // the raw calls on pinned arrays: MPI.NET's managed collectives leave MPICH datatype handles behind ("yaksa: leaked handle")
    public unsafe byte[][] AllgatherBytes(byte[] local, string what)
    {
        var counts = new int[Size];
        int length = local.Length;
        var mine = new[] { length };
        fixed (int* one = mine, all = counts)
        {
            var (from, to) = ((nint)one, (nint)all);
            Collective(what, () => Check(Unsafe.MPI_Allgather(from, 1, Unsafe.MPI_INT, to, 1, Unsafe.MPI_INT, Unsafe.MPI_COMM_WORLD), what));
        }
        var offsets = new int[Size];
        for (int r = 1; r < Size; r++) offsets[r] = checked(offsets[r - 1] + counts[r - 1]);
        var gathered = new byte[offsets[^1] + counts[^1]];
        fixed (byte* send = local, receive = gathered)
        {
            var (from, to) = ((nint)send, (nint)receive);
            Collective(what, () => Check(Unsafe.MPI_Allgatherv(from, length, Unsafe.MPI_BYTE, to, counts, offsets, Unsafe.MPI_BYTE, Unsafe.MPI_COMM_WORLD), what));
        }
        return Enumerable.Range(0, Size).Select(r => gathered.AsSpan(offsets[r], counts[r]).ToArray()).ToArray();
    }

    void Collective(string what, Action call) => Collective(what, () => { call(); return 0; });

    T Collective<T>(string what, Func<T> call)
    {
        _watchdog.Arm(what);
        _communication.Start();
        try { return call(); }
        finally
        {
            _communication.Stop();
            _watchdog.Disarm();
        }
    }

    /// <summary>Address of a contiguous CPU tensor's first element.</summary>
    static unsafe nint Address(Tensor t) =>
        (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(t.bytes));

    static void Check(int code, string what)
    {
        if (code != 0) throw new InvalidOperationException($"MPI error {code} in {what}");
    }

    void Abort(string what)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"error: rank {Rank} of {Size}: the other ranks did not join {what} within {TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s (--mpi-timeout): " +
                                "a rank died or hangs. Aborting the job; the last checkpoint (last.safetensors) is intact: rerun with --resume to continue.");
        Console.Error.Flush();
        Unsafe.MPI_Abort(Unsafe.MPI_COMM_WORLD, TimeoutExitCode);
    }

    public void AbortJob(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Unsafe.MPI_Abort(Unsafe.MPI_COMM_WORLD, exitCode);
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        _environment.Dispose();
    }
}
