namespace ReSpike.Spiking.Layers;

/// <summary>How a <see cref="SpikeDrivenConv2d"/> computes.</summary>
public enum SpikeConvolution
{
    /// <summary>
    /// Event-driven when it pays: no gradient is being recorded, the input is float32 on the CPU, and
    /// <see cref="SpikeDrivenConv2d.CostModel"/> predicts it faster for the call's shape and non-zero count; dense otherwise.
    /// </summary>
    Auto,
    /// <summary>Always libtorch's dense convolution.</summary>
    Dense,
    /// <summary>Always event-driven (no gradient may be recorded); an input it cannot take is an error that says why.</summary>
    EventDriven,
}
