using ReSpike.Spiking.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// Group-Wise spiking Feed-Forward Network: up = LIF, 1x1 conv to 4C, BN; conv = LIF, grouped 3x3 conv, BN (with
/// a residual around it); down = LIF, 1x1 conv to C, BN; plus the block's residual. [T, B, C, H, W] in and out.
/// </summary>
public sealed class Gwffn : nn.Module<Tensor, Tensor>
{
    readonly Sequential up, down;
    readonly ModuleList<Sequential> conv;

    public Gwffn(int channels, int groupSize, SrfNeuron neuron, int convLayers = 1) : base(nameof(Gwffn))
    {
        int inner = channels * SpikingResformerSpec.FfnRatio;
        up = Unit(neuron, new SequenceConv2d(channels, inner, 1), inner);
        conv = nn.ModuleList(Enumerable.Range(0, convLayers)
            .Select(_ => Unit(neuron, new SequenceConv2d(inner, inner, 3, padding: 1, groups: inner / groupSize), inner)).ToArray());
        down = Unit(neuron, new SequenceConv2d(inner, channels, 1), channels);
        register_module("up", up);
        register_module("conv", conv);
        register_module("down", down);
    }

    /// <summary>neuron, conv, BN as "0", "1", "2" (the official Sequential).</summary>
    static Sequential Unit(SrfNeuron neuron, SequenceConv2d convolution, int channels) =>
        nn.Sequential(("0", SpikingNeurons.Create(neuron)), ("1", convolution), ("2", new SequenceBatchNorm(channels)));

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = up.call(x);
        var y = hidden;
        foreach (var unit in conv) y = unit.call(y);
        y = y + hidden;
        y = down.call(y);
        return y.add_(x).MoveToOuterDisposeScope();
    }
}
