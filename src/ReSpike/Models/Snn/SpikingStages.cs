using ReSpike.Models.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// The four stages both spiking trunks share (<see cref="MSResNet"/>, <see cref="SpikingResNet"/>): two blocks per stage,
/// widths 64/128/256/512, the first block of every stage striding so that stage outputs sit at the ANN's strides
/// after a stem of stride 2. Registered as "0"/"1" like torchvision's layerN.
/// </summary>
static class SpikingStages
{
    /// <summary>The stem's 3x3 conv strides by 2 (no max pool).</summary>
    public const int StemStride = 2;

    /// <summary>layer1..layer4 built from <paramref name="block"/>(in channels, out channels, stride).</summary>
    public static Sequential[] Build(Func<long, long, long, nn.Module<Tensor, Tensor>> block)
    {
        var widths = ResNetStages.Widths;
        long inChannels = widths[0];
        var layers = new Sequential[ResNetStages.Count];
        for (int stage = 0; stage < layers.Length; stage++)
        {
            long width = widths[stage], stride = ResNetStages.FirstBlockStride(stage, StemStride);
            layers[stage] = nn.Sequential(("0", block(inChannels, width, stride)), ("1", block(width, width, 1)));
            inChannels = width;
        }
        return layers;
    }

    /// <summary>The stem's conv (3x3, stride 2, no bias) and BN, registered "0" and "1".</summary>
    public static Sequential Stem() =>
        nn.Sequential(("0", nn.Conv2d(3, ResNetStages.Widths[0], 3, stride: StemStride, padding: 1, bias: false)), ("1", nn.BatchNorm2d(ResNetStages.Widths[0])));

    /// <summary>Stage <paramref name="index"/> (0..3) of <paramref name="layers"/>.</summary>
    public static Tensor Run(IReadOnlyList<Sequential> layers, int index, Tensor x) =>
        index is >= 0 and < ResNetStages.Count
            ? layers[index].call(x)
            : throw new ArgumentOutOfRangeException(nameof(index), index, "stage index is 0..3");

    /// <summary>A trunk's whole forward: every neuron reset, then the stem and all four stages (a whole sequence is one sample).</summary>
    public static Tensor Forward(nn.Module trunk, ISpikingTrunk stages, Tensor x)
    {
        Spiking.Functional.ResetNet(trunk);
        using var scope = torch.NewDisposeScope();
        var y = stages.Stem(x);
        for (int i = 0; i < ResNetStages.Count; i++) y = stages.Stage(i, y);
        return y.MoveToOuterDisposeScope();
    }
}
