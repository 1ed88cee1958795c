namespace ReSpike.Models;

/// <summary>What kind of neurons a model computes with; decides how its energy is charged.</summary>
public enum ModelFamily
{
    /// <summary>Real-valued (ANN) and spiking layers together.</summary>
    Hybrid,
    /// <summary>Spiking layers only (apart from the stem and the head).</summary>
    Snn,
    /// <summary>Real-valued layers only: every op is a multiply-accumulate.</summary>
    Ann,
}
