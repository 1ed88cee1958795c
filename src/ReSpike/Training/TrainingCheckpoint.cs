using System.Text.Json;
using ReSpike.Models;
using ReSpike.Training.Optimizers;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>
/// A training checkpoint is a model checkpoint (loadable by eval/predict as is) that also carries
/// the optimizer's state tensors (under "optimizer.") and the run's <see cref="TrainingState"/> in
/// its metadata: one file, written atomically, so it is never half of a resume point.
/// </summary>
public static class TrainingCheckpoint
{
    public const string StateKey = "respike.training";

    // the best metric starts at -infinity (nothing evaluated yet), which plain JSON cannot hold
    static readonly JsonSerializerOptions StateJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Save(string path, VideoModel net, IOptimizer optimizer, TrainingState state, IReadOnlyList<string> classNames)
    {
        var tensors = optimizer.State().ToDictionary(kv => Checkpoint.OptimizerPrefix + kv.Key, kv => kv.Value);
        Checkpoint.Save(net, path, tensors, classNames, new Dictionary<string, string> { [StateKey] = JsonSerializer.Serialize(state, StateJson) });
    }

    /// <summary>Restores model weights, optimizer state and the run's position from <paramref name="path"/>.</summary>
    public static TrainingState Restore(string path, VideoModel net, IOptimizer optimizer)
    {
        var metadata = Checkpoint.ReadMetadata(path);
        if (!metadata.TryGetValue(StateKey, out var json))
            throw new InvalidDataException($"{path} holds model weights but no training state; it cannot be resumed (use it with eval or predict)");
        Checkpoint.RequireSavedFor(path, net.Config, "--resume");
        Checkpoint.LoadWeights(net, path);
        var state = Checkpoint.ReadTensors(path, Checkpoint.OptimizerPrefix);
        try
        {
            optimizer.LoadState(state);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        return JsonSerializer.Deserialize<TrainingState>(json, StateJson) ?? throw new InvalidDataException($"{path}: empty training state");
    }
}
