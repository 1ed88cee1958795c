namespace ReSpike.Energy;

/// <summary>Spikes of one spiking layer: total spikes over the neuron-steps (neurons x timesteps x samples) it ran.</summary>
public sealed record LayerFiringRate(string Name, long Calls, double Spikes, double NeuronSteps)
{
    /// <summary>Mean spikes per neuron per timestep.</summary>
    public double Rate => NeuronSteps > 0 ? Spikes / NeuronSteps : 0;
}

/// <summary>Firing rates per spiking layer and overall.</summary>
public sealed record FiringRates(IReadOnlyList<LayerFiringRate> Layers)
{
    public static readonly FiringRates None = new([]);

    /// <summary>All spikes over all neuron-steps: the rate of a neuron drawn at random.</summary>
    public double Overall => Layers.Sum(l => l.NeuronSteps) is var steps and > 0 ? Layers.Sum(l => l.Spikes) / steps : 0;

    /// <summary>Unweighted mean of the layer rates.</summary>
    public double MeanOfLayers => Layers.Count > 0 ? Layers.Average(l => l.Rate) : 0;
}
