using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// How a layer input kept for backward is stored: a binary spike tensor (every value 0 or 1) as a bool tensor, one
/// byte per element instead of four, in the same memory layout; anything else as it is. Lossless either way.
/// </summary>
internal static class SpikeStorage
{
    /// <summary>A bool copy of <paramref name="x"/> when it holds only zeros and ones; otherwise a detached handle of x.</summary>
    public static Tensor Compact(Tensor x)
    {
        using var noGrad = no_grad();
        var mask = x.ne(0);
        // one check instead of trusting the caller: a real-valued input would otherwise come back as 0/1 in backward
        using var restored = x.eq(mask);
        using var binary = restored.all();
        if (binary.item<bool>()) return mask;
        mask.Dispose();
        return x.detach();
    }

    /// <summary>The stored input as a tensor of <paramref name="type"/>, detached from any graph.</summary>
    public static Tensor Restore(Tensor stored, ScalarType type) =>
        stored.dtype == ScalarType.Bool ? stored.to_type(type) : stored.detach();
}
