namespace ReSpike.Benchmarks;

/// <summary>Fused versus op-by-op LIF at one sequence length: median milliseconds per call (snake_case in JSON).</summary>
public sealed record LifBenchResult(
    int Timesteps,
    long[] Shape,
    int Threads,
    int Repeats,
    double OpByOpForwardMs,
    double OpByOpForwardBackwardMs,
    double FusedForwardMs,
    double FusedForwardBackwardMs)
{
    public double ForwardSpeedup => OpByOpForwardMs / FusedForwardMs;
    public double ForwardBackwardSpeedup => OpByOpForwardBackwardMs / FusedForwardBackwardMs;
}
