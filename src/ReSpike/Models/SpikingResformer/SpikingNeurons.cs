using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using ReSpike.Spiking.Surrogates;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// The official SpikingResformer neurons (layers.py): LIF tau 2 / PLIF initial tau 2, v_th 1, hard reset to 0,
/// decay_input, ATan(alpha 2) surrogate, detached reset, multi-step.
/// </summary>
public static class SpikingNeurons
{
    public static BaseNode Create(SrfNeuron kind) => kind switch
    {
        SrfNeuron.Lif => new LIFNode(tau: 2.0, vThreshold: 1.0, vReset: 0.0, decayInput: true, detachReset: true,
                                     surrogate: new ATan(2.0), stepMode: StepMode.Multi),
        SrfNeuron.Plif => new ParametricLIFNode(initTau: 2.0, vThreshold: 1.0, vReset: 0.0, decayInput: true, detachReset: true,
                                                surrogate: new ATan(2.0), stepMode: StepMode.Multi),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown neuron"),
    };
}
