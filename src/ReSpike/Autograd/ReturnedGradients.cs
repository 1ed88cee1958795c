using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// Gradients a custom autograd Function returned to libtorch from backward. libtorch copies them as soon as the
/// callback returns, so the next backward call on the same thread can release our handles; without this they would
/// hold their memory until the .NET finalizer runs (when no DisposeScope is active around backward()).
/// Per thread, because a thread's backward calls never overlap.
/// </summary>
internal static class ReturnedGradients
{
    [ThreadStatic] static List<Tensor>? pending;

    /// <summary>Releases what earlier backward calls on this thread returned. Call first thing in backward.</summary>
    public static void ReleaseEarlier()
    {
        if (pending is null) return;
        foreach (var g in pending) g.Dispose();
        pending.Clear();
    }

    /// <summary>Marks a gradient about to be returned from backward for release by the next call.</summary>
    public static Tensor? Track(Tensor? gradient)
    {
        if (gradient is not null) (pending ??= []).Add(gradient);
        return gradient;
    }
}
