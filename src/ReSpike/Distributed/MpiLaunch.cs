namespace ReSpike.Distributed;

/// <summary>
/// Whether this process was started by an MPI launcher, read from the environment only (no MPI library is touched):
/// MPICH's Hydra (`mpiexec`) and Slurm's PMI-2 (`srun --mpi=pmi2`) set PMI_RANK and PMI_SIZE, Hydra also MPI_LOCALNRANKS,
/// PMIx launchers PMIX_RANK. Open MPI's `mpirun` sets OMPI_COMM_WORLD_SIZE: its ABI is not MPICH's, so it is refused with a
/// message rather than crashing in native code.
/// </summary>
public static class MpiLaunch
{
    /// <summary>The variables that mean "launched by an MPICH-ABI launcher".</summary>
    public static readonly string[] Variables = ["PMI_RANK", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"];

    /// <summary>The variable Open MPI's launcher sets.</summary>
    public const string OpenMpiVariable = "OMPI_COMM_WORLD_SIZE";

    /// <summary>True when any of <see cref="Variables"/> is set (in <paramref name="environment"/>, default: this process's).</summary>
    public static bool Detected(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return Variables.Any(v => !string.IsNullOrEmpty(environment(v)));
    }

    /// <summary>True when Open MPI's launcher started this process.</summary>
    public static bool OpenMpi(Func<string, string?>? environment = null) =>
        !string.IsNullOrEmpty((environment ?? Environment.GetEnvironmentVariable)(OpenMpiVariable));
}
