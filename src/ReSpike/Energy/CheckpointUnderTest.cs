using ReSpike.Models;

namespace ReSpike.Energy;

/// <summary>
/// The network `respike energy --checkpoint` measures: the checkpoint's architecture, with only the input settings
/// (image, frames, stride) overridable, since they change the op counts but not the weights' shapes.
/// </summary>
public static class CheckpointUnderTest
{
    /// <summary>The checkpoint's config with the given input settings; giving an architecture setting is an error naming its flag.</summary>
    public static ReSpikeConfig Config(string checkpoint, ConfigOverrides given)
    {
        foreach (var flag in given.ArchitectureFlags())
            throw new ArgumentException($"{flag}: the architecture comes from --checkpoint; drop {flag}");
        return given.ApplyTo(Checkpoint.ReadConfig(checkpoint)).Validate();
    }
}
