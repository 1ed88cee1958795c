namespace ReSpike.Benchmarks;

/// <summary>
/// Fused versus op-by-op LIF at one sequence length, milliseconds per call: median over the repeats and the best
/// (minimum) one, which background load disturbs least. Serialised snake_case.
/// </summary>
public sealed record LifBenchResult(
    int Timesteps,
    long[] Shape,
    int Threads,
    int Repeats,
    double OpByOpForwardMs,
    double FusedForwardMs,
    double OpByOpForwardBackwardMs,
    double FusedForwardBackwardMs,
    double OpByOpForwardBackwardBestMs,
    double FusedForwardBackwardBestMs)
{
    public double ForwardSpeedup => OpByOpForwardMs / FusedForwardMs;
    public double ForwardBackwardSpeedup => OpByOpForwardBackwardMs / FusedForwardBackwardMs;
}
