using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>The official DownsampleLayer opening stages 2 and 3: LIF, 3x3/2 conv, BN.</summary>
public sealed class SrfDownsample : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> activation;
    readonly SequenceConv2d conv;
    readonly SequenceBatchNorm norm;

    public SrfDownsample(int inChannels, int outChannels, SrfNeuron neuron) : base(nameof(SrfDownsample))
    {
        conv = new SequenceConv2d(inChannels, outChannels, 3, stride: 2, padding: 1);
        norm = new SequenceBatchNorm(outChannels);
        activation = SpikingNeurons.Create(neuron);
        register_module("conv", conv);
        register_module("norm", norm);
        register_module("activation", activation);
    }

    public override Tensor forward(Tensor x)
    {
        using var spikes = activation.call(x);
        using var y = conv.call(spikes);
        return norm.call(y);
    }
}
