using System.Text.Json;
using ReSpike.IO;
using ReSpike.IO.SafeTensors;

namespace ReSpike.Models;

/// <summary>
/// A model checkpoint is one safetensors file: the state_dict (our names) plus, in its metadata, the
/// architecture config (whose model name picks the <see cref="ModelRegistry"/> entry that rebuilds it) and anything the caller adds (class names, epoch...). Python reads it with
/// safetensors.torch.load_file. Written atomically (temp file + rename).
/// </summary>
public static class Checkpoint
{
    public const string FormatKey = "respike.format", FormatVersion = "1";
    public const string ConfigKey = "respike.config", ClassNamesKey = "respike.class_names";

    /// <summary>Metadata of best.safetensors: the (1-based) epoch whose weights it holds.</summary>
    public const string EpochKey = "respike.epoch";

    /// <summary>Tensors under this prefix are training state, not model weights.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>Load options that take the model's tensors of a checkpoint and leave any optimizer state aside.</summary>
    public static StateDictLoadOptions WeightsOnly { get; } = new() { MapName = n => n.StartsWith(OptimizerPrefix, StringComparison.Ordinal) ? null : n };

    /// <summary>Saves weights and config; <paramref name="classNames"/> lets predict print labels.</summary>
    public static void Save(VideoModel net, string path, IReadOnlyList<string>? classNames = null,
                            IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var metadata = new Dictionary<string, string>(extraMetadata ?? new Dictionary<string, string>())
        {
            [FormatKey] = FormatVersion,
            [ConfigKey] = net.Config.ToJson(),
        };
        if (classNames is not null)
        {
            if (classNames.Count != net.Config.NumClasses)
                throw new ArgumentException($"{classNames.Count} class names for a model with {net.Config.NumClasses} classes");
            metadata[ClassNamesKey] = JsonSerializer.Serialize(classNames);
        }
        StateDict.Save(net, path, metadata);
    }

    /// <summary>Saves the model's tensors plus extra named tensors (e.g. optimizer state under <see cref="OptimizerPrefix"/>) in one atomic file.</summary>
    public static void Save(VideoModel net, string path, IReadOnlyDictionary<string, TorchSharp.torch.Tensor> extraTensors,
                            IReadOnlyList<string>? classNames, IReadOnlyDictionary<string, string> extraMetadata)
    {
        var metadata = new Dictionary<string, string>(extraMetadata)
        {
            [FormatKey] = FormatVersion,
            [ConfigKey] = net.Config.ToJson(),
        };
        if (classNames is not null) metadata[ClassNamesKey] = JsonSerializer.Serialize(classNames);
        var tensors = new Dictionary<string, TorchSharp.torch.Tensor>(net.state_dict());
        foreach (var (name, tensor) in extraTensors) tensors.Add(name, tensor);
        SafeTensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>The metadata of a checkpoint, checked to be ours.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        var metadata = SafeTensorsFile.Open(path).Metadata;
        if (!metadata.TryGetValue(ConfigKey, out _))
            throw new InvalidDataException($"{path} is a safetensors file but not a ReSpike checkpoint (no '{ConfigKey}' metadata); " +
                                           "to import torchvision ImageNet weights use --pretrained instead");
        if (metadata.TryGetValue(FormatKey, out var version) && version != FormatVersion)
            throw new InvalidDataException($"{path}: checkpoint format {version} is not supported (this build reads format {FormatVersion})");
        return metadata;
    }

    public static ReSpikeConfig ReadConfig(string path)
    {
        var json = ReadMetadata(path)[ConfigKey];
        try { return ReSpikeConfig.FromJson(json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: the model config stored in the checkpoint is unreadable: {e.Message}"); }
    }

    public static IReadOnlyList<string>? ReadClassNames(string path) =>
        ReadMetadata(path).TryGetValue(ClassNamesKey, out var json) ? JsonSerializer.Deserialize<List<string>>(json) : null;

    /// <summary>Builds the registered model the checkpoint names and loads its weights (strict).</summary>
    public static VideoModel Load(string path)
    {
        var config = ReadConfig(path);
        if (!ModelRegistry.Models.Contains(config.Name))
            throw new InvalidDataException($"{path} holds model '{config.Name}', which this build does not have ({ModelRegistry.Models.Unknown(config.Name).Message})");
        var net = ModelRegistry.Create(config);
        try
        {
            // a training checkpoint also holds optimizer state (see Training/TrainingCheckpoint); the model ignores it
            StateDict.LoadFile(net, path, WeightsOnly);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Loads a checkpoint that must have been saved for <paramref name="expected"/>; says which settings differ.</summary>
    public static VideoModel Load(string path, ReSpikeConfig expected)
    {
        var saved = ReadConfig(path);
        var differences = saved.Differences(expected);
        if (differences.Count > 0)
            throw new InvalidDataException($"checkpoint {path} was saved for another model ({string.Join("; ", differences.Select(d => d.Replace(" vs ", " in checkpoint vs ") + " requested"))})");
        return Load(path);
    }
}
