using static TorchSharp.torch;

namespace ReSpike.Training.Optimizers;

/// <summary>
/// A first-order optimizer over named parameters whose whole state is named tensors, so a
/// checkpoint can hold it and a resumed run continues bit-exactly. The learning rate is passed
/// to every step (the schedule lives outside).
/// </summary>
public interface IOptimizer : IDisposable
{
    /// <summary>Zeroes the gradients in place (they stay allocated: gradient accumulation and the MPI buckets need that).</summary>
    void ZeroGrad();

    /// <summary>Drops the gradients (set to none) after a step whose gradients nobody reads again.</summary>
    void ReleaseGradients();

    void Step(double learningRate);

    /// <summary>State tensors by name (the optimizer's own; callers must not dispose them).</summary>
    IReadOnlyDictionary<string, Tensor> State();

    /// <summary>Restores state saved by <see cref="State"/>; names or shapes that do not match throw.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}
