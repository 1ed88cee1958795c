using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ReSpike.Runtime;
using ReSpike.Spiking.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Layers;

/// <summary>
/// A Conv2d for spike inputs: the same parameters, names, initialisation and dense result as nn.Conv2d, plus an
/// event-driven path (<see cref="EventDrivenConvolutionKernel"/>) whose work scales with the input's firing rate,
/// chosen by <see cref="Mode"/>. The event-driven path serves inference (it records no gradient); training
/// runs the dense convolution. Any input values are correct on either path (non-zeros are scaled, not assumed 1).
/// </summary>
public sealed class SpikeDrivenConv2d : Convolution
{
    /// <summary>How <see cref="SpikeConvolution.Auto"/> predicts which path is faster for a call.</summary>
    public static EventDrivenCostModel CostModel { get; set; } = EventDrivenCostModel.Measured;

    public SpikeDrivenConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = false)
        : base(nameof(SpikeDrivenConv2d), inChannels, outChannels, [kernelSize, kernelSize], [stride, stride], [padding, padding],
               null, [1, 1], false, [0, 0], 1, bias, PaddingModes.Zeros)
    {
    }

    /// <summary>Which path runs; see <see cref="SpikeConvolution"/>.</summary>
    public SpikeConvolution Mode { get; set; } = SpikeConvolution.Auto;

    /// <summary>Whether the last call ran event-driven (for tests and the profile).</summary>
    public bool LastCallEventDriven { get; private set; }

    public override Tensor forward(Tensor x)
    {
        long? events = null;
        long Events() => events ??= NonZero(x);
        LastCallEventDriven = Mode switch
        {
            SpikeConvolution.Dense => false,
            SpikeConvolution.EventDriven => UnsupportedReason(x) is { } reason
                ? throw new NotSupportedException($"{GetName()}: event-driven convolution cannot run this input: {reason}")
                : true,
            // training mode rounds as training does (also under no_grad, e.g. a layer re-run for backward)
            _ => !training && UnsupportedReason(x) is null && EventDrivenPays(x, Events()),
        };
        return LastCallEventDriven ? EventDriven(x, Events()) : nn.functional.conv2d(x, weight, bias, stride, padding);
    }

    /// <summary>Whether the cost model predicts the event-driven path faster for <paramref name="x"/> with this many non-zeros.</summary>
    public bool EventDrivenPays(Tensor x, long events)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        long outH = (h + 2 * padding![0] - kernel_size[0]) / stride[0] + 1, outW = (w + 2 * padding[1] - kernel_size[1]) / stride[1] + 1;
        long outputs = n * out_channels * outH * outW, kernelArea = kernel_size[0] * kernel_size[1];
        // no weights to move: the columns are transposed once and kept across calls (WeightColumns), so that cost amortises away
        return CostModel.EventDrivenNs(events, out_channels, kernelArea, stride[0] * stride[1], x.numel(), outputs, weights: 0)
             < CostModel.DenseNs(outputs, in_channels, kernelArea);
    }

    /// <summary>Why the event-driven path cannot take <paramref name="x"/> (null when it can).</summary>
    public string? UnsupportedReason(Tensor x)
    {
        if (is_grad_enabled() && (x.requires_grad || weight.requires_grad)) return "a gradient is being recorded (training runs the dense convolution)";
        if (x.dim() != 4) return $"input has {x.dim()} dimensions, not [N, C, H, W]";
        if (x.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32) return $"dtype {x.dtype}, not float32";
        if (x.device_type != DeviceType.CPU) return $"device {x.device}, not the CPU";
        return null;
    }

    static long NonZero(Tensor x)
    {
        using var nonZero = x.count_nonzero();
        return nonZero.item<long>();
    }

    /// <summary>
    /// The weights as event columns [C_in, kh, kw, C_out], kept between inference calls: transposing them costs as much as
    /// a whole silent layer (2.4 M weights in a 512-channel layer). Dropped when the module changes mode (training
    /// changes the weights) and by <see cref="ForgetWeightColumns"/>, which whoever writes weights in place in eval mode calls
    /// (<see cref="IO.StateDict"/>'s loads do).
    /// </summary>
    Tensor WeightColumns()
    {
        if (_columns is { } cached && !cached.IsInvalid && _columnsSource == weight.Handle) return cached;
        ForgetWeightColumns();
        _columns = weight.detach().permute(1, 2, 3, 0).contiguous().DetachFromDisposeScope();
        _columnsSource = weight.Handle;
        return _columns;
    }

    Tensor? _columns;
    nint _columnsSource;

    /// <summary>Drops the cached event columns (the next event-driven call transposes the current weights).</summary>
    public void ForgetWeightColumns()
    {
        _columns?.Dispose();
        _columns = null;
    }

    /// <inheritdoc/>
    public override void train(bool train = true)
    {
        ForgetWeightColumns();
        base.train(train);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) ForgetWeightColumns();
        base.Dispose(disposing);
    }

    Tensor EventDriven(Tensor x, long events)
    {
        if (!x.is_contiguous() && ChannelsLast.Is(x)) return EventDrivenChannelsLast(x, events);
        using var contiguous = x.is_contiguous() ? null : x.contiguous();
        var input = contiguous ?? x;
        var g = new ConvGeometry(input.shape[0], in_channels, input.shape[2], input.shape[3], out_channels,
                                 kernel_size[0], kernel_size[1], stride[0], stride[1], padding![0], padding[1]);
        var columns = WeightColumns();
        var output = empty([g.Samples, g.OutChannels, g.OutHeight, g.OutWidth], dtype: ScalarType.Float32, device: x.device);
        EventDrivenConvolutionKernel.Run(Pointer(input), Pointer(columns), Pointer(output), g, events, get_num_threads());
        if (bias is not null) output.add_(bias.detach().view(1, -1, 1, 1));
        return output;
    }

    /// <summary>Channels-last input: the output comes out channels-last too (the layout the kernel accumulates in).</summary>
    Tensor EventDrivenChannelsLast(Tensor x, long events)
    {
        var g = new ConvGeometry(x.shape[0], in_channels, x.shape[2], x.shape[3], out_channels,
                                 kernel_size[0], kernel_size[1], stride[0], stride[1], padding![0], padding[1]);
        using var nhwc = x.permute(0, 2, 3, 1);   // a contiguous view of the same memory
        var columns = WeightColumns();
        using var output = empty([g.Samples, g.OutHeight, g.OutWidth, g.OutChannels], dtype: ScalarType.Float32, device: x.device);
        EventDrivenConvolutionKernel.RunChannelsLast(Pointer(nhwc), Pointer(columns), Pointer(output), g, events, get_num_threads());
        if (bias is not null) output.add_(bias.detach());
        return output.permute(0, 3, 1, 2);
    }

    static unsafe nint Pointer(Tensor t) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
