namespace ReSpike.Spiking;

/// <summary>A module that keeps state across timesteps (a neuron's membrane potential, say).</summary>
public interface IMemoryModule
{
    /// <summary>Returns the module to its resting state and releases the state tensors (and the autograd graph they hold).</summary>
    void ResetState();
}
