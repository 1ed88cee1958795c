namespace ReSpike.Distributed;

/// <summary>Joins the job this process belongs to: MPI when a launcher started it (<see cref="MpiLaunch"/>), else a single process.</summary>
public static class ProcessGroups
{
    /// <summary>Default seconds a collective may wait for the other ranks before the job is aborted (--mpi-timeout).</summary>
    public const double DefaultTimeoutSeconds = 600;

    /// <summary>
    /// <see cref="SingleProcess"/> unless launched by mpiexec/srun; then MPI is initialised (the MPI library is loaded only now)
    /// and every collective that waits longer than <paramref name="timeoutSeconds"/> aborts the job. Dispose at the end (MPI_Finalize).
    /// </summary>
    public static IProcessGroup Join(double timeoutSeconds = DefaultTimeoutSeconds)
    {
        if (!(timeoutSeconds > 0)) throw new ArgumentException($"--mpi-timeout must be > 0 seconds, got {timeoutSeconds}");
        if (MpiLaunch.OpenMpi())
            throw new NotSupportedException($"launched by Open MPI ({MpiLaunch.OpenMpiVariable} is set): its ABI is not MPICH's, which the MPI.NET bindings use; " +
                                            "launch with MPICH's mpiexec (Debian: apt-get install mpich; mpiexec.mpich) or another MPICH-ABI MPI (docs/distributed.md)");
        return MpiLaunch.Detected() ? Mpi(timeoutSeconds) : SingleProcess.Instance;
    }

    // separate method: MPI.NET's assembly is loaded only when this runs
    static IProcessGroup Mpi(double timeoutSeconds) => new MpiProcessGroup(timeoutSeconds);
}
