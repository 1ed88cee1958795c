using ReSpike.Models.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>
/// A video classifier the toolkit can train, evaluate, checkpoint, cost and benchmark: a normalised clip
/// [B, T, 3, H, W] in, logits [B, classes] out. Built by name through <see cref="ModelRegistry"/>, so a new
/// model is its own file plus one registration; its <see cref="Config"/> goes into every checkpoint.
/// </summary>
public abstract class VideoModel : nn.Module<Tensor, Tensor>
{
    protected VideoModel(string name, ReSpikeConfig config) : base(name)
    {
        Config = config.Validate();
    }

    /// <summary>The architecture settings (saved in checkpoints; <see cref="ReSpikeConfig.Name"/> is the registry name).</summary>
    public ReSpikeConfig Config { get; }

    /// <summary>The registration this model was built from.</summary>
    public ModelEntry Entry => ModelRegistry.Models.Get(Config.Name);

    /// <summary>The 2D ResNet trunk that --pretrained ImageNet weights load into; null when the model has none.</summary>
    public virtual ResNet? ImageNetTrunk => null;

    /// <summary>
    /// The loss a training step minimises for <paramref name="clips"/> with <paramref name="labels"/>, and the logits [B, classes]
    /// it scores accuracy by. Default: cross-entropy of the forward's logits; a model trained otherwise (TET) overrides it.
    /// </summary>
    public virtual (Tensor Logits, Tensor Loss) TrainingLoss(Tensor clips, Tensor labels)
    {
        var logits = call(clips);
        return (logits, nn.functional.cross_entropy(logits, labels));
    }

    /// <summary>Number of parameter elements.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
