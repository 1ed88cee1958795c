namespace ReSpike.Benchmarks.Profiling;

/// <summary>
/// One component's share of a step: seconds in forward and backward (per step, averaged over the profiled steps),
/// and the dense multiply-adds its forward performs (spiking layers counted densely, as they are computed), so
/// <see cref="ForwardGmacPerS"/> reads against the machine limit.
/// </summary>
public sealed record ComponentTime(string Component, double ForwardSeconds, double BackwardSeconds, double ForwardGmacs)
{
    public double TotalSeconds => ForwardSeconds + BackwardSeconds;
    /// <summary>Dense GMAC/s of the forward (null without multiply-adds or time).</summary>
    public double? ForwardGmacPerS => ForwardGmacs > 0 && ForwardSeconds > 0 ? Math.Round(ForwardGmacs / ForwardSeconds, 2) : null;
}

/// <summary>One module's own time (its children's excluded) per step.</summary>
public sealed record LayerTime(string Module, string Component, double ForwardSeconds, double BackwardSeconds);

/// <summary>
/// Where one step's time goes. <see cref="StepSeconds"/> is the wall time of a whole profiled step (hooks
/// included); <see cref="Components"/> split the forward and backward; <see cref="UnattributedSeconds"/> is step time
/// no module call covers (autograd bookkeeping between nodes, the loss, gradient zeroing), <see cref="OptimizerSeconds"/>
/// the SGD update (training only); <see cref="TopLayers"/> the most expensive modules.
/// </summary>
public sealed record StepProfile(
    string Mode,
    double StepSeconds,
    double UnprofiledStepSeconds,
    double OptimizerSeconds,
    double UnattributedSeconds,
    double DenseGmacs,
    IReadOnlyList<ComponentTime> Components,
    IReadOnlyList<LayerTime> TopLayers)
{
    /// <summary>Dense GMAC/s of the whole step measured without hooks (forward MACs only, so inference reads directly).</summary>
    public double DenseGmacPerS => Math.Round(DenseGmacs / UnprofiledStepSeconds, 2);
}

/// <summary>`respike bench --profile`: the machine limit, then the inference and the training step profiles.</summary>
public sealed record ProfileReport(
    string Model, string Backbone, int Image, int Frames, int Stride, int Batch, int Threads,
    MachineLimit MachineLimit, StepProfile Inference, StepProfile Training)
{
    /// <summary>
    /// Inference dense(-equivalent) GMAC/s as a fraction of the machine's matmul GMAC/s. Spike convolutions that run
    /// event-driven count the work they skip, so this can exceed 1; <see cref="DenseLayersFractionOfMatmul"/> does not.
    /// </summary>
    public double InferenceFractionOfMatmul => Math.Round(Inference.DenseGmacPerS / MachineLimit.MatmulGmacPerS, 3);

    /// <summary>The components that always compute densely at inference (ANN convolutions, fusion projections and GEGLU linears).</summary>
    public static IReadOnlyList<string> DenseComponents { get; } = [ProfileComponents.AnnConv, ProfileComponents.FusionProjections, ProfileComponents.FusionGeglu];

    /// <summary>Inference GMAC/s of <see cref="DenseComponents"/> (their multiply-adds over their forward time) as a fraction of the matmul GMAC/s.</summary>
    public double DenseLayersFractionOfMatmul
    {
        get
        {
            var dense = Inference.Components.Where(c => DenseComponents.Contains(c.Component)).ToList();
            double seconds = dense.Sum(c => c.ForwardSeconds);
            return seconds > 0 ? Math.Round(dense.Sum(c => c.ForwardGmacs) / seconds / MachineLimit.MatmulGmacPerS, 3) : 0;
        }
    }
}
