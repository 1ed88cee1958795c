namespace ReSpike.Spiking;

/// <summary>How a stateful module consumes time (SpikingJelly's step_mode 's' / 'm').</summary>
public enum StepMode
{
    /// <summary>One timestep per call, input [N, ...]; state carries over between calls until reset.</summary>
    Single,
    /// <summary>A whole sequence per call, input [T, N, ...]; starts from rest unless told otherwise.</summary>
    Multi,
}
