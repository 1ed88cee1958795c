using System.Text.Json;
using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using static TorchSharp.torch;

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
                            IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        Write(net, path, extraTensors: null, classNames, extraMetadata);

    /// <summary>Saves the model's tensors plus extra named tensors (e.g. optimizer state under <see cref="OptimizerPrefix"/>) in one atomic file.</summary>
    public static void Save(VideoModel net, string path, IReadOnlyDictionary<string, Tensor> extraTensors,
                            IReadOnlyList<string>? classNames, IReadOnlyDictionary<string, string> extraMetadata) =>
        Write(net, path, extraTensors, classNames, extraMetadata);

    /// <summary>The one writer: metadata (format, config, class names, extras) and tensors, atomically.</summary>
    static void Write(VideoModel net, string path, IReadOnlyDictionary<string, Tensor>? extraTensors,
                      IReadOnlyList<string>? classNames, IReadOnlyDictionary<string, string>? extraMetadata)
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
        // state_dict() hands out the module's own tensors: they are not ours to dispose
        var tensors = new Dictionary<string, Tensor>(net.state_dict());
        foreach (var (name, tensor) in extraTensors ?? new Dictionary<string, Tensor>()) tensors.Add(name, tensor);
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

    /// <summary>Builds the network the checkpoint describes and loads its weights (strict).</summary>
    public static VideoModel Load(string path) => Load(path, ReadConfig(path), checkSaved: false);

    /// <summary>Loads a checkpoint that must have been saved for <paramref name="expected"/>; says which settings differ.</summary>
    public static VideoModel Load(string path, ReSpikeConfig expected) => Load(path, expected, checkSaved: true);

    /// <summary>
    /// Builds a network of <paramref name="config"/> and loads the checkpoint's weights into it, for a config that
    /// differs from the saved one only in settings that leave the weights' shapes alone (image, frames, stride).
    /// </summary>
    public static VideoModel LoadAs(string path, ReSpikeConfig config) => Load(path, config, checkSaved: false);

    static VideoModel Load(string path, ReSpikeConfig config, bool checkSaved)
    {
        if (checkSaved) RequireSavedFor(path, config);
        if (!ModelRegistry.Models.Contains(config.Name))
            throw new InvalidDataException($"{path} holds model '{config.Name}', which this build does not have ({ModelRegistry.Models.Unknown(config.Name).Message})");
        var net = ModelRegistry.Create(config);
        try
        {
            LoadWeights(net, path);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies a checkpoint's model tensors into <paramref name="net"/> (strict by name and shape); a training
    /// checkpoint's optimizer state (see Training/TrainingCheckpoint) is left aside.
    /// </summary>
    public static StateDictLoadReport LoadWeights(VideoModel net, string path) => StateDict.LoadFile(net, path, WeightsOnly);

    /// <summary>Throws unless the checkpoint was saved for <paramref name="expected"/>, naming every setting that differs.</summary>
    public static void RequireSavedFor(string path, ReSpikeConfig expected, string? flag = null)
    {
        var differences = ReadConfig(path).Differences(expected);
        if (differences.Count > 0)
            throw new InvalidDataException($"{(flag is null ? "" : flag + ": ")}checkpoint {path} was saved for another model " +
                                           $"({string.Join("; ", differences.Select(d => d.Replace(" vs ", " in checkpoint vs ") + " requested"))})");
    }

    /// <summary>The extra tensors saved under <paramref name="prefix"/>, with the prefix taken off; the caller owns them.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path, string prefix)
    {
        var file = SafeTensorsFile.Open(path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var entry in file.Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)))
                tensors[entry.Name[prefix.Length..]] = file.Read(entry.Name);
            return tensors;
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }
}
