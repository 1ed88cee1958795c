using ReSpike.Registry;

namespace ReSpike.Spiking.Surrogates;

/// <summary>A registered surrogate gradient: builds it with its parameter, or its default when none is given.</summary>
public sealed record SurrogateEntry(string Name, string Description, Func<double?, SurrogateFunction> Create) : IRegistryEntry;
