using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>Tells spike tensors from real-valued ones and measures how often they fire.</summary>
public static class SpikeTensor
{
    /// <summary>
    /// True when every element is exactly 0 or 1 (syops-counter's rule). Integer and bool tensors are never spikes
    /// here. An all-zero tensor passes too; <see cref="OpCounter"/> takes it for silent spikes only when a neuron made it.
    /// </summary>
    public static bool IsBinary(Tensor x)
    {
        if (!x.is_floating_point() || x.numel() == 0) return false;
        using var zero = x.eq(0);
        using var one = x.eq(1);
        using var either = zero.logical_or(one);
        using var all = either.all();
        return all.item<bool>();
    }

    /// <summary>Base address of the tensor's storage (shared by all its views); zero for dtypes we do not track.</summary>
    public static IntPtr StorageAddress(Tensor x) => x.dtype switch
    {
        ScalarType.Float32 => x.storage<float>().data_ptr(),
        ScalarType.Float64 => x.storage<double>().data_ptr(),
        _ => IntPtr.Zero,
    };

    /// <summary>Number of ones (spikes) in the tensor, summed in float64 so large counts stay exact.</summary>
    public static double Count(Tensor x)
    {
        using var sum = x.sum(ScalarType.Float64);
        return sum.item<double>();
    }
}
