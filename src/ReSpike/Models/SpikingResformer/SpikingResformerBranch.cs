using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// A SpikingResformer without its classifier, run stage by stage: the spiking branch of <see cref="ReSpikeSrfNet"/>.
/// The stem takes a real-valued sequence [T, N, 3, H, W] (ReSpike's residual frames; no neuron before the first
/// conv, as in the official direct encoding) and each stage returns [T, N, C, h, w]. Module names are the official
/// <c>prologue.*</c> and <c>layers.*</c>.
/// </summary>
public sealed class SpikingResformerBranch : nn.Module<Tensor, Tensor>
{
    readonly Sequential prologue, layers;

    /// <param name="spec">The architecture (an ImageNet-stem variant puts its stages at strides 4, 8, 16).</param>
    /// <param name="imageSize">Input side, which fixes DSSA's token counts.</param>
    public SpikingResformerBranch(SpikingResformerSpec spec, int imageSize) : base(nameof(SpikingResformerBranch))
    {
        Spec = spec.Validate();
        prologue = SpikingResformerLayers.Prologue(spec);
        layers = SpikingResformerLayers.Stages(spec, imageSize);
        register_module("prologue", prologue);
        register_module("layers", layers);
        SpikingResformerLayers.InitialiseWeights(this);
    }

    /// <summary>The architecture.</summary>
    public SpikingResformerSpec Spec { get; }

    /// <summary>Output stride of each stage relative to the input frame (stem reduction, then x2 per later stage).</summary>
    public IReadOnlyList<int> OutputStrides => Enumerable.Range(0, Spec.Stages).Select(i => Spec.StemReduction << i).ToList();

    /// <summary>Stem: [T, N, 3, H, W] -> [T, N, widths[0], H/r, W/r] (real-valued; the first neuron is in stage 1).</summary>
    public Tensor Stem(Tensor x) => prologue.call(x);

    /// <summary>Stage <paramref name="index"/> (0-based) on [T, N, C, h, w].</summary>
    public Tensor Stage(int index, Tensor x)
    {
        if (index < 0 || index >= Spec.Stages) throw new ArgumentOutOfRangeException(nameof(index), index, $"stage index is 0..{Spec.Stages - 1}");
        return ((nn.Module<Tensor, Tensor>)layers[index]).call(x);
    }

    /// <summary>Stem and every stage, resetting every neuron first: a whole sequence is one sample.</summary>
    public override Tensor forward(Tensor x)
    {
        Functional.ResetNet(this);
        using var scope = torch.NewDisposeScope();
        var y = Stem(x);
        for (int i = 0; i < Spec.Stages; i++) y = Stage(i, y);
        return y.MoveToOuterDisposeScope();
    }
}
