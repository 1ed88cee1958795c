namespace ReSpike.Spiking;

/// <summary>
/// A module whose spike-input layers (convolution + BatchNorm) can keep only their input spikes, one byte each, and
/// run again during backward instead of keeping their activations (<see cref="Functional.SetRecomputeSpikeLayers"/>).
/// Training only; gradients are unchanged.
/// </summary>
public interface IRecomputesSpikeLayers
{
    /// <summary>Whether training forwards keep only the spikes and recompute the layers in backward.</summary>
    bool RecomputeSpikeLayers { get; set; }
}
