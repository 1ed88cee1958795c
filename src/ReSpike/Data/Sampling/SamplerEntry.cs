using ReSpike.Registry;

namespace ReSpike.Data.Sampling;

/// <summary>
/// A registered clip sampler. <see cref="Create"/> gets the clip length and the text after the name's colon
/// (null when there is none, e.g. "4" in "uniform:4") and returns null when that argument does not fit.
/// </summary>
public sealed record SamplerEntry(string Name, string Description, Func<int, string?, ClipSampler?> Create) : IRegistryEntry;
