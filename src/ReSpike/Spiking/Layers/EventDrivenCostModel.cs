namespace ReSpike.Spiking.Layers;

/// <summary>
/// When an event-driven convolution pays: predicted nanoseconds of each path from the call's shape and its number of
/// non-zero inputs. Dense: multiply-adds at libtorch's convolution speed. Event-driven: one SIMD add per event, reached
/// output and output channel, plus a pass over the input and output (scan, clear, transpose) and, for a call that must
/// transpose its weights first, the weight transpose, which dominates small layers with many channels (a 4x4 map with 512
/// channels moves 9 MB of weights for little work). <see cref="SpikeDrivenConv2d"/> keeps the transposed weights across
/// calls, so it decides with no weights to move.
/// The constants were fitted to `respike bench --conv-sweep` on a 2-core AMD EPYC at 2 threads (docs/performance.md);
/// another machine shifts the crossover, not the ordering.
/// </summary>
public sealed record EventDrivenCostModel(double DenseNsPerMac, double EventNsPerAdd, double NsPerActivation, double NsPerWeight)
{
    /// <summary>The measured constants: 80 GMAC/s dense, 10 G adds/s event-driven, 0.65 ns per input or output element, 1 ns per weight.</summary>
    public static EventDrivenCostModel Measured { get; } = new(DenseNsPerMac: 0.0125, EventNsPerAdd: 0.1, NsPerActivation: 0.65, NsPerWeight: 1.0);

    /// <summary>Predicted dense nanoseconds: every output element costs C_in x kh x kw multiply-adds.</summary>
    public double DenseNs(long outputElements, long inChannels, long kernelArea) => DenseNsPerMac * outputElements * inChannels * kernelArea;

    /// <summary>Predicted event-driven nanoseconds for <paramref name="events"/> non-zero inputs, each reaching kernelArea / stride area outputs.</summary>
    public double EventDrivenNs(long events, long outChannels, long kernelArea, long strideArea, long inputElements, long outputElements, long weights) =>
        EventNsPerAdd * events * outChannels * kernelArea / strideArea + NsPerActivation * (inputElements + outputElements) + NsPerWeight * weights;
}
