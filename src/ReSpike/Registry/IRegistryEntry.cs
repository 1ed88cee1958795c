namespace ReSpike.Registry;

/// <summary>Something that can be chosen by name: a model, backbone, surrogate, dataset, sampler, optimizer, schedule or energy preset.</summary>
public interface IRegistryEntry
{
    /// <summary>The name users type (lower case; the CLI value and the JSON value).</summary>
    string Name { get; }

    /// <summary>One line for --help and `respike models`.</summary>
    string Description { get; }
}
