using ReSpike.Models.Video3d;
using ReSpike.Registry;

namespace ReSpike.Models;

/// <summary>
/// The --model choices. A new model is its own file (a <see cref="VideoModel"/> and its <see cref="ModelEntry"/>)
/// plus one line here; training, evaluation, prediction, checkpoints, energy, bench and `respike models` build it
/// by name.
/// </summary>
public static class ModelRegistry
{
    public static Registry<ModelEntry> Models { get; } = Build();

    static Registry<ModelEntry> Build()
    {
        var r = new Registry<ModelEntry>("model", "--model");
        foreach (var entry in ReSpikeNet.Registrations) r.Add(entry);
        foreach (var entry in VideoResNet.Registrations) r.Add(entry);
        r.Add(C3D.Registration);
        foreach (var entry in SpikingResformer.SpikingResformerVariants.Registrations) r.Add(entry);
        foreach (var entry in ReSpikeSrfNet.Registrations) r.Add(entry);
        return r;
    }

    /// <summary>Builds the model <paramref name="config"/> names (fresh weights from torch's global generator).</summary>
    public static VideoModel Create(ReSpikeConfig config) => Models.Get(config.Name).Create(config);
}
