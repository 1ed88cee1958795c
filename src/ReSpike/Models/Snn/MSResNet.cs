using ReSpike.Models.Backbones;
using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// ReSpike's spiking branch, MS-ResNet-18 style: stem = 3x3/s2 conv + BN (no LIF, no maxpool), then four
/// stages of two <see cref="SpikingBasicBlock"/>s with widths 64/128/256/512, the first block of every stage
/// (layer1 included) striding by 2, so stage outputs sit at strides 4, 8, 16, 32 like the ANN's.
/// All tensors are multi-step [T, N, C, H, W]; the residual frames enter as real values (direct encoding).
/// </summary>
public sealed class MSResNet : nn.Module<Tensor, Tensor>, ISpikingTrunk
{
    /// <summary>Stage widths, the plain ResNet ones.</summary>
    public static IReadOnlyList<long> Widths => ResNetStages.Widths;

    /// <summary>The stem's 3x3 conv strides by 2 (no maxpool).</summary>
    const int StemStride = 2;

    readonly Sequential stem;
    readonly Sequential layer1, layer2, layer3, layer4;

    public MSResNet() : base(nameof(MSResNet))
    {
        stem = nn.Sequential(("0", nn.Conv2d(3, Widths[0], 3, stride: 2, padding: 1, bias: false)), ("1", nn.BatchNorm2d(Widths[0])));
        long inChannels = Widths[0];
        Sequential MakeLayer(int stage)
        {
            long width = Widths[stage], stride = ResNetStages.FirstBlockStride(stage, StemStride);
            var layer = nn.Sequential(("0", new SpikingBasicBlock(inChannels, width, stride)), ("1", new SpikingBasicBlock(width, width, 1)));
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

    /// <summary>Stem: [T, N, 3, H, W] -> [T, N, 64, H/2, W/2].</summary>
    public Tensor Stem(Tensor x)
    {
        using var conv = TimeFolding.Fold((nn.Module<Tensor, Tensor>)stem[0], x);
        return TimeFolding.PerTimestep((nn.Module<Tensor, Tensor>)stem[1], conv);
    }

    /// <summary>Stage <paramref name="index"/> (0..3) = layer1..layer4.</summary>
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
