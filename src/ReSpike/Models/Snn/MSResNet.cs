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
public sealed class MSResNet : nn.Module<Tensor, Tensor>, ISpikingTrunk, IRecomputesSpikeLayers
{
    /// <summary>Stage widths, the plain ResNet ones.</summary>
    public static IReadOnlyList<long> Widths => ResNetStages.Widths;

    readonly Sequential stem;
    readonly Sequential layer1, layer2, layer3, layer4;

    public MSResNet() : base(nameof(MSResNet))
    {
        stem = SpikingStages.Stem();
        var layers = SpikingStages.Build((cin, cout, stride) => new SpikingBasicBlock(cin, cout, stride));
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        RegisterComponents();
        Layers.NormInitialization.Apply(this);
    }

    /// <inheritdoc/>
    /// <remarks>Here: the stem's conv + BN keep only the frames (its 64-channel output is the largest map of the trunk).</remarks>
    public bool RecomputeSpikeLayers { get; set; }

    /// <summary>Stem: [T, N, 3, H, W] -> [T, N, 64, H/2, W/2].</summary>
    public Tensor Stem(Tensor x) => SpikeConvBatchNorm.Run((nn.Module<Tensor, Tensor>)stem[0], (BatchNorm2d)stem[1], x, RecomputeSpikeLayers);

    /// <summary>Stage <paramref name="index"/> (0..3) = layer1..layer4.</summary>
    public Tensor Stage(int index, Tensor x) => SpikingStages.Run([layer1, layer2, layer3, layer4], index, x);

    /// <summary>Stem and all four stages, resetting every neuron first: a whole sequence is one sample.</summary>
    public override Tensor forward(Tensor x) => SpikingStages.Forward(this, this, x);
}
