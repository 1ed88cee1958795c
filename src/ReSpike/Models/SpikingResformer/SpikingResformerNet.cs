using ReSpike.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// SpikingResformer (Shi, Hao, Yu, CVPR 2024): stem, three stages of DSSA + GWFFN blocks (stages 2 and 3 opened by a
/// downsampling conv), global average pooling and a linear classifier applied at every timestep. Parameter and
/// buffer names are those of the official state dict (<c>prologue.*</c>, <c>layers.{stage}.{block}.*</c>,
/// <c>classifier.weight</c>), so its checkpoints load unchanged.
/// <para>
/// Input: a clip [B, F, 3, H, W]. A one-frame clip is repeated over the <see cref="Timesteps"/> (= --frames)
/// timesteps (direct encoding of an image); a clip of exactly that many frames is taken as the timestep sequence.
/// <see cref="VideoModel"/>'s output is the mean of the per-timestep logits (what the official training loss
/// and accuracy use); <see cref="ForwardTimesteps"/> returns them [T, B, classes] as the official forward does.
/// </para>
/// </summary>
public sealed class SpikingResformerNet : VideoModel
{
    readonly Sequential prologue, layers;
    readonly Linear classifier;

    public SpikingResformerNet(ReSpikeConfig config, SpikingResformerSpec spec) : base(nameof(SpikingResformerNet), config)
    {
        Spec = spec.Validate();
        prologue = SpikingResformerLayers.Prologue(Spec);
        layers = SpikingResformerLayers.Stages(Spec, config.ImageSize);
        classifier = nn.Linear(spec.Widths[^1], config.NumClasses, hasBias: false);
        register_module("prologue", prologue);
        register_module("layers", layers);
        register_module("classifier", classifier);
        SpikingResformerLayers.InitialiseWeights(this);
    }

    /// <summary>The architecture.</summary>
    public SpikingResformerSpec Spec { get; }

    /// <summary>Timesteps T (the config's frame count).</summary>
    public int Timesteps => Config.Frames;

    /// <summary>Every DSSA block, in order.</summary>
    public IEnumerable<Dssa> AttentionBlocks => modules().OfType<Dssa>();

    public override Tensor forward(Tensor clip)
    {
        using var perStep = ForwardTimesteps(clip);
        return perStep.mean([0]);
    }

    /// <summary>Per-timestep logits [T, B, classes] for a clip [B, F, 3, H, W] (F = 1 or T) or an image batch [B, 3, H, W].</summary>
    public Tensor ForwardTimesteps(Tensor clip)
    {
        using var scope = torch.NewDisposeScope();
        var sequence = ToSequence(clip);
        var x = layers.call(prologue.call(sequence));
        var pooled = x.mean([-2, -1]);
        return classifier.call(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>[T, B, 3, H, W]: an image (or one-frame clip) repeated T times, or a T-frame clip with time first.</summary>
    Tensor ToSequence(Tensor clip)
    {
        if (clip.dim() == 4) return clip.unsqueeze(0).expand(Timesteps, -1, -1, -1, -1).contiguous();
        if (clip.dim() != 5)
            throw new ArgumentException($"{Config.Name}: expected an image batch [B, 3, H, W] or a clip [B, F, 3, H, W], got {ShapeText.Format(clip.shape)}");
        long frames = clip.shape[1];
        if (frames == 1) return clip.transpose(0, 1).expand(Timesteps, -1, -1, -1, -1).contiguous();
        if (frames == Timesteps) return clip.transpose(0, 1).contiguous();
        throw new ArgumentException($"{Config.Name}: a clip of {frames} frames is neither one image (1 frame, repeated over T) nor a sequence of T = {Timesteps} frames (--frames)");
    }
}
