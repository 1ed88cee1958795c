using ReSpike.Models.Backbones;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// Spiking ResNet-18 with the spike after the residual add (the "SNN-ResNet" of Li et al., TMLR 2023, Table 1's
/// SNN-ResNet*): stem = 3x3/s2 conv + BN + LIF, then four stages of two <see cref="SpikeAfterAddBlock"/>s, widths
/// 64/128/256/512, the first block of every stage striding by 2, exactly the layout of <see cref="MSResNet"/> so the two
/// trunks differ only in where the neuron sits. Every stage passes spikes to the next (MS-ResNet passes membrane values).
/// </summary>
public sealed class SpikingResNet : nn.Module<Tensor, Tensor>, ISpikingTrunk
{
    readonly Sequential stem;
    readonly LIFNode stemLif;
    readonly Sequential layer1, layer2, layer3, layer4;

    public SpikingResNet() : base(nameof(SpikingResNet))
    {
        stem = SpikingStages.Stem();
        stemLif = LIFNode.ReSpike(StepMode.Multi);
        var layers = SpikingStages.Build((cin, cout, stride) => new SpikeAfterAddBlock(cin, cout, stride));
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        RegisterComponents();
        Layers.NormInitialization.Apply(this);
    }

    /// <inheritdoc/>
    public Tensor Stem(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var conv = TimeFolding.Fold((nn.Module<Tensor, Tensor>)stem[0], x);
        using var normed = TimeFolding.PerTimestep((nn.Module<Tensor, Tensor>)stem[1], conv);
        return stemLif.call(normed).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Stage(int index, Tensor x) => SpikingStages.Run([layer1, layer2, layer3, layer4], index, x);

    /// <summary>Stem and all four stages, resetting every neuron first: a whole sequence is one sample.</summary>
    public override Tensor forward(Tensor x) => SpikingStages.Forward(this, this, x);
}
