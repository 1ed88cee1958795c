using ReSpike.Registry;

namespace ReSpike.Models.Backbones;

/// <summary>A registered ANN backbone: builds the trunk (optionally with a classifier) and knows its stage widths without building it.</summary>
/// <param name="StageChannels">Output channels of layer1..layer4.</param>
/// <param name="Create">Builds the network; a null class count leaves out the classifier (a trunk for features).</param>
public sealed record BackboneEntry(string Name, string Description, long[] StageChannels, Func<long?, ResNet> Create) : IRegistryEntry;
