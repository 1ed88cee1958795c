using ReSpike.Registry;

namespace ReSpike.Models;

/// <summary>
/// A registered video model: how `respike models` describes it and the factory that builds it from a
/// <see cref="ReSpikeConfig"/> whose <see cref="ReSpikeConfig.Name"/> is <see cref="Name"/>.
/// </summary>
/// <param name="Name">The --model value, stored in checkpoints.</param>
/// <param name="Description">One line for --help.</param>
/// <param name="Family">Hybrid, spiking or real-valued.</param>
/// <param name="Inputs">What the network sees of a clip, e.g. "key frames + residuals".</param>
/// <param name="EnergyConvention">How its layers are charged by `respike energy`, e.g. "ANN MAC + SNN AC x firing rate".</param>
/// <param name="Create">Builds the network (fresh weights from torch's global generator).</param>
public sealed record ModelEntry(string Name, string Description, ModelFamily Family, string Inputs, string EnergyConvention,
                                Func<ReSpikeConfig, VideoModel> Create) : IRegistryEntry
{
    /// <summary>Checks beyond the shared ones of <see cref="ReSpikeConfig.Validate"/> (throw an <see cref="ArgumentException"/> naming the flag).</summary>
    public Action<ReSpikeConfig>? Validate { get; init; }

    /// <summary>
    /// The model has a torchvision ResNet trunk that `--pretrained` fills with ImageNet weights (the paper fine-tunes
    /// them); training it without them gets a warning.
    /// </summary>
    public bool ImageNetTrunk { get; init; }

    /// <summary>Whether the model has spiking neurons (its op counts then depend on the data through firing rates).</summary>
    public bool Spiking => Family != ModelFamily.Ann;
}
