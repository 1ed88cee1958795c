using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// Builds a SpikingResformer's trunk as the official code lays it out: the stem (<c>prologue</c>) and the three stages
/// (<c>layers.{stage}.{block}</c>), and applies the official initialisation. Shared by the classifier
/// (<see cref="SpikingResformerNet"/>) and ReSpike's spiking branch (<see cref="SpikingResformerBranch"/>).
/// </summary>
public static class SpikingResformerLayers
{
    /// <summary>The stem: 7x7/2 conv + BN + 3x3/2 max pool (ImageNet), or 3x3 conv + BN with the spec's stride.</summary>
    public static Sequential Prologue(SpikingResformerSpec spec) => spec.Stem == SrfStem.ImageNet
        ? nn.Sequential(("0", new SequenceConv2d(3, spec.Widths[0], 7, stride: 2, padding: 3)),
                        ("1", new SequenceBatchNorm(spec.Widths[0])),
                        ("2", new SequenceMaxPool2d(3, 2, 1)))
        : nn.Sequential(("0", new SequenceConv2d(3, spec.Widths[0], 3, stride: spec.StemStride, padding: 1)),
                        ("1", new SequenceBatchNorm(spec.Widths[0])));

    /// <summary>
    /// The stages, each (after the first) opened by a downsampling conv, then the spec's DSSA + GWFFN pairs. DSSA's
    /// token count comes from <paramref name="imageSize"/>, so a trunk is built for one input size.
    /// </summary>
    public static Sequential Stages(SpikingResformerSpec spec, int imageSize)
    {
        var layers = nn.Sequential();
        for (int stage = 0; stage < spec.Stages; stage++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            if (stage > 0) blocks.Add(new SrfDownsample(spec.Widths[stage - 1], spec.Widths[stage], spec.Neuron));
            int side = spec.StageSide(imageSize, stage) / spec.PatchSizes[stage];
            for (int i = 0; i < spec.Blocks[stage]; i++)
            {
                blocks.Add(new Dssa(spec.Widths[stage], spec.Heads[stage], side * side, spec.PatchSizes[stage], spec.Neuron));
                blocks.Add(new Gwffn(spec.Widths[stage], spec.GroupSize, spec.Neuron));
            }
            layers.append(stage.ToString(), nn.Sequential(blocks.Select((m, i) => (i.ToString(), m)).ToArray()));
        }
        return layers;
    }

    /// <summary>The official init over every module of <paramref name="root"/>: conv and linear weights truncated normal (std 0.02), BatchNorm scale 1 and shift 0.</summary>
    public static void InitialiseWeights(nn.Module root)
    {
        using var _ = torch.no_grad();
        foreach (var module in root.modules())
        {
            switch (module)
            {
                case SequenceConv2d conv: TruncatedNormal.Fill(conv.Weight, std: 0.02); break;
                case Linear linear: TruncatedNormal.Fill(linear.weight!, std: 0.02); break;
                case BatchNorm2d bn: nn.init.ones_(bn.weight!); nn.init.zeros_(bn.bias!); break;
            }
        }
    }
}
