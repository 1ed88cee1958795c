namespace ReSpike.Spiking.Neurons;

/// <summary>How a multi-step <see cref="LIFNode"/> runs its timesteps.</summary>
public enum LifKernel
{
    /// <summary>The fused C# kernel when it applies (float32, contiguous CPU input, a surrogate it knows), op-by-op otherwise.</summary>
    Auto,
    /// <summary>Always the op-by-op TorchSharp path (one set of tensor ops per timestep): the reference for tests and benchmarks.</summary>
    OpByOp,
    /// <summary>Always the fused kernel; an input it cannot handle is an error that says why.</summary>
    Fused,
}
