using static TorchSharp.torch;

namespace ReSpike.Distributed;

/// <summary>
/// The processes of one job that train or evaluate together: this process's rank, how many there are, and the collectives
/// the data-parallel code needs. <see cref="SingleProcess"/> is a plain run (no MPI loaded); <see cref="MpiProcessGroup"/>
/// spans the ranks `mpiexec`/`srun` started. Collectives must be called by every rank in the same order; <c>what</c> names
/// the call in the error a rank prints when the others do not join it in time.
/// </summary>
public interface IProcessGroup : IDisposable
{
    int Rank { get; }
    int Size { get; }

    /// <summary>Rank 0: the one that writes the run folder and prints.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>Seconds this process spent in collectives (including waiting for slower ranks).</summary>
    double CommunicationSeconds { get; }

    /// <summary>One line for the log, e.g. "MPI (libmpich.so.12): rank 0 of 2".</summary>
    string Describe();

    /// <summary>Sums a contiguous float32/float64 CPU tensor over the ranks, in place.</summary>
    void AllreduceSum(Tensor flat, string what);

    /// <summary>Sums <paramref name="values"/> over the ranks, in place.</summary>
    void AllreduceSum(double[] values, string what);

    /// <summary>
    /// Ends every rank of the job now with <paramref name="exitCode"/> (MPI_Abort), after this rank failed: the others may be
    /// blocked in a collective it will never join. Does nothing in a single process (the failure ends it anyway).
    /// </summary>
    void AbortJob(int exitCode);

    /// <summary>Every rank's <paramref name="local"/> bytes, by rank, on every rank.</summary>
    byte[][] AllgatherBytes(byte[] local, string what);
}
