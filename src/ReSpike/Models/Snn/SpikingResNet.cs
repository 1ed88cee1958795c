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
    const int StemStride = 2;

    readonly Sequential stem;
    readonly LIFNode stemLif;
    readonly Sequential layer1, layer2, layer3, layer4;

    public SpikingResNet() : base(nameof(SpikingResNet))
    {
        var widths = MSResNet.Widths;
        stem = nn.Sequential(("0", nn.Conv2d(3, widths[0], 3, stride: StemStride, padding: 1, bias: false)), ("1", nn.BatchNorm2d(widths[0])));
        stemLif = LIFNode.ReSpike(StepMode.Multi);
        long inChannels = widths[0];
        Sequential MakeLayer(int stage)
        {
            long width = widths[stage], stride = ResNetStages.FirstBlockStride(stage, StemStride);
            var layer = nn.Sequential(("0", new SpikeAfterAddBlock(inChannels, width, stride)), ("1", new SpikeAfterAddBlock(width, width, 1)));
            inChannels = width;
            return layer;
        }
        layer1 = MakeLayer(0);
        layer2 = MakeLayer(1);
        layer3 = MakeLayer(2);
        layer4 = MakeLayer(3);
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
    public Tensor Stage(int index, Tensor x) => index switch
    {
        0 => layer1.call(x),
        1 => layer2.call(x),
        2 => layer3.call(x),
        3 => layer4.call(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "stage index is 0..3"),
    };

    /// <summary>Stem and all four stages, resetting every neuron first: a whole sequence is one sample.</summary>
    public override Tensor forward(Tensor x)
    {
        Functional.ResetNet(this);
        using var scope = torch.NewDisposeScope();
        var y = Stem(x);
        for (int i = 0; i < ResNetStages.Count; i++) y = Stage(i, y);
        return y.MoveToOuterDisposeScope();
    }
}
