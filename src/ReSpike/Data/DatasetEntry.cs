using ReSpike.Registry;

namespace ReSpike.Data;

/// <summary>A registered dataset layout (a --dataset value) and the format that reads it.</summary>
public sealed record DatasetEntry(string Name, string Description, DatasetKind Kind) : IRegistryEntry;
