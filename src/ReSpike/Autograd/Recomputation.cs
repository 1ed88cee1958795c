namespace ReSpike.Autograd;

/// <summary>
/// Marks the forward passes that <see cref="RecomputeInBackward"/> runs again during backward. Such a re-run only
/// rebuilds a graph for gradients; it is not another forward of the network, so anything that observes forward
/// passes (op counters, firing-rate monitors) skips calls made while <see cref="InProgress"/> is true and counts
/// each forward once. Per thread: the re-run happens synchronously inside the backward callback that sets it.
/// </summary>
public static class Recomputation
{
    [ThreadStatic] static int depth;

    /// <summary>True while a block is being recomputed for backward on this thread.</summary>
    public static bool InProgress => depth > 0;

    /// <summary>Marks the current thread as recomputing until the returned scope is disposed (scopes nest).</summary>
    internal static Scope Enter()
    {
        depth++;
        return new Scope();
    }

    internal readonly struct Scope : IDisposable
    {
        public void Dispose() => depth--;
    }
}
