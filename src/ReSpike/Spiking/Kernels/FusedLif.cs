using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ReSpike.Spiking.Surrogates;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// Entry point of the fused multi-step LIF (<see cref="FusedLifKernel"/>): checks applicability, runs the kernel
/// directly when no gradient is needed (no graph node, nothing kept), or through <see cref="FusedLifFunction"/> when
/// one is.
/// </summary>
internal static class FusedLif
{
    /// <summary>Why the fused kernel cannot run this input, or null when it can.</summary>
    public static string? UnsupportedReason(Tensor x, SurrogateFunction surrogate)
    {
        if (x.dtype != ScalarType.Float32) return $"dtype is {x.dtype}, the fused kernel handles Float32";
        if (x.device_type != DeviceType.CPU) return $"device is {x.device_type}, the fused kernel runs on the CPU";
        if (x.numel() * sizeof(float) > int.MaxValue) return "input exceeds 2 GiB (TorchSharp exposes at most int.MaxValue bytes as a span)";
        if (surrogate is not (ATan or Sigmoid or Rectangle or Triangle)) return $"surrogate {surrogate} has no fused backward";
        return null;
    }

    /// <summary>
    /// Runs the whole sequence x [T, N...] from v0 [N...]: spikes [T, N...] and the last post-reset membrane [N...],
    /// both part of the autograd graph when grad mode is on and x or v0 requires grad.
    /// </summary>
    public static (Tensor Spikes, Tensor LastV) Run(Tensor x, Tensor v0, LifKernelParameters parameters, SurrogateFunction surrogate,
                                                    bool storeVoltageSequence, out Tensor? voltageSequence)
    {
        // a dense tensor in another memory order (channels-last feature maps) runs as the contiguous view of its memory:
        // the kernel is element-wise per neuron, so only time has to be the outermost dimension
        if (StorageOrder(x) is { } order)
        {
            var inverse = Inverse(order);
            using var xView = x.permute(order);
            using var v0View = v0.dim() == x.dim() - 1 ? v0.permute([.. order.Skip(1).Select(d => d - 1)]) : v0.alias();
            var (spikes, lastV) = Run(xView, v0View, parameters, surrogate, storeVoltageSequence, out var voltages);
            using (spikes)
            using (lastV)
            using (voltages)
            {
                voltageSequence = voltages?.permute(inverse);
                var perStep = inverse.Skip(1).Select(d => d - 1).ToArray();
                return (spikes.permute(inverse), lastV.dim() == perStep.Length ? lastV.permute(perStep) : lastV.alias());
            }
        }
        using var contiguousX = x.is_contiguous() ? null : x.contiguous();
        using var contiguousV0 = v0.is_contiguous() ? null : v0.contiguous();
        var input = contiguousX ?? x;
        var initial = contiguousV0 ?? v0;
        var call = new FusedLifCall(parameters, surrogate, initial.requires_grad) { VoltageSequence = storeVoltageSequence ? torch.empty_like(input) : null };
        voltageSequence = call.VoltageSequence;
        bool needsGraph = torch.is_grad_enabled() && (input.requires_grad || initial.requires_grad);
        if (!needsGraph)
        {
            var spikes = torch.empty_like(input);
            var lastV = torch.empty_like(initial);
            RunForward(input, initial, spikes, lastV, call);
            return (spikes, lastV);
        }
        try
        {
            var outputs = FusedLifFunction.apply(input, initial, call);
            if (call.Context is { } ctx) Autograd.OutputCache.Release(ctx);
            return (outputs[0], outputs[1]);
        }
        finally
        {
            foreach (var t in call.ForwardHandles) t.Dispose();
            call.ForwardHandles.Clear();
        }
    }

    /// <summary>
    /// For a dense, non-contiguous x whose memory order keeps time outermost (e.g. [T, N, C, H, W] with channels-last
    /// samples): the dimension order in which it is contiguous; null when x is contiguous or no such order exists.
    /// </summary>
    internal static long[]? StorageOrder(Tensor x)
    {
        if (x.is_contiguous() || x.dim() < 2) return null;
        var strides = x.stride();
        var shape = x.shape;
        // time first, then the other dimensions by decreasing stride (size-1 dimensions keep their place among equals)
        var order = Enumerable.Range(1, (int)x.dim() - 1).OrderByDescending(d => shape[d] == 1 ? long.MaxValue : strides[d])
                              .Prepend(0).Select(d => (long)d).ToArray();
        using var view = x.permute(order);
        return view.is_contiguous() ? order : null;
    }

    static long[] Inverse(long[] order)
    {
        var inverse = new long[order.Length];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return inverse;
    }

    internal static void RunForward(Tensor x, Tensor v0, Tensor spikes, Tensor lastV, FusedLifCall call)
    {
        var (steps, neurons) = Layout(x);
        if (neurons == 0 || steps == 0) return;
        var buffers = new FusedLifKernel.ForwardBuffers(Pointer(x), Pointer(v0), Pointer(spikes), Pointer(call.VoltageSequence), Pointer(lastV));
        FusedLifKernel.Forward(buffers, steps, neurons, call.Parameters, torch.get_num_threads());
    }

    internal static void RunBackward(Tensor x, Tensor v0, Tensor? gradSpikes, Tensor? gradLastV, Tensor gradX, Tensor? gradV0, FusedLifCall call)
    {
        var (steps, neurons) = Layout(x);
        if (neurons == 0 || steps == 0) return;
        var buffers = new FusedLifKernel.BackwardBuffers(Pointer(x), Pointer(v0), Pointer(gradSpikes), Pointer(gradLastV), Pointer(gradX), Pointer(gradV0));
        int threads = torch.get_num_threads();
        var p = call.Parameters;
        switch (call.Surrogate)
        {
            case ATan atan: FusedLifKernel.Backward(new AtanSurrogateKernel(atan.Alpha), buffers, steps, neurons, p, threads); break;
            case Sigmoid sigmoid: FusedLifKernel.Backward(new SigmoidSurrogateKernel(sigmoid.Alpha), buffers, steps, neurons, p, threads); break;
            case Rectangle rectangle: FusedLifKernel.Backward(new RectangleSurrogateKernel(rectangle.Width), buffers, steps, neurons, p, threads); break;
            case Triangle triangle: FusedLifKernel.Backward(new TriangleSurrogateKernel(triangle.Gamma), buffers, steps, neurons, p, threads); break;
            default: throw new NotSupportedException($"surrogate {call.Surrogate} has no fused backward");
        }
    }

    /// <summary>[T, N...] as (T, neurons per step).</summary>
    static (int Steps, long Neurons) Layout(Tensor x)
    {
        long steps = x.shape[0];
        return ((int)steps, steps == 0 ? 0 : x.numel() / steps);
    }

    /// <summary>Address of a contiguous CPU tensor's first element (zero for null).</summary>
    static unsafe nint Pointer(Tensor? t) =>
        t is null ? 0 : (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
