namespace ReSpike.Training.Parity;

/// <summary>
/// One LIF site whose membrane potential h came within float32 rounding of the threshold, so two correct
/// float32 implementations may decide it differently.
/// </summary>
/// <param name="Layer">The neuron layer's module name, e.g. "snn.layer3.0.lif2".</param>
/// <param name="Index">Flat index into the layer's input sequence [T, N, ...] (timestep-major).</param>
/// <param name="Margin">h − v_threshold as we computed it.</param>
/// <param name="Spike">The decision to force: true fires.</param>
public sealed record ThresholdTie(string Layer, long Index, double Margin, bool Spike);
