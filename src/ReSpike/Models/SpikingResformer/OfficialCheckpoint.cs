using System.Collections;
using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>What <see cref="OfficialCheckpoint.Load"/> matched.</summary>
/// <param name="Loaded">Tensors copied (parameters and buffers).</param>
/// <param name="ClassifierSkipped">The checkpoint's classifier had another class count and was left as initialised (the official transfer()).</param>
/// <param name="Ignored">Checkpoint tensors that name nothing of ours and were not loaded (none for an official checkpoint of the same variant).</param>
public sealed record OfficialCheckpointReport(int Loaded, int Total, bool ClassifierSkipped, IReadOnlyList<string> Ignored)
{
    /// <summary>One line for the console, e.g. "211 of 211 tensors matched by name".</summary>
    public string Summary => $"{Loaded} of {Total} tensors matched by name" +
                             (ClassifierSkipped ? " (classifier skipped: other class count)" : "") +
                             (Ignored.Count > 0 ? $"; {Ignored.Count} ignored: {string.Join(", ", Ignored.Take(5))}" : "");
}

/// <summary>
/// Loads an official SpikingResformer checkpoint into our model: a PyTorch <c>.pth</c> (zip pickle, read by
/// TorchSharp.PyBridge) holding the state dict itself or the training checkpoint <c>{"model": state_dict, ...}</c>
/// that the official main.py saves, or a safetensors file. Names match one to one (a DistributedDataParallel
/// <c>module.</c> prefix is dropped); every tensor of ours must be filled, except a classifier of another class
/// count, which is skipped as the official transfer() does. Shapes must agree.
/// </summary>
public static class OfficialCheckpoint
{
    public static OfficialCheckpointReport Load(SpikingResformerNet net, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--pretrained: {path} does not exist", path);
        using var scope = NewDisposeScope();
        var tensors = IsZip(path) ? ReadPth(path) : SafeTensorsFile.Load(path, floatsToFloat32: true);
        var renamed = tensors.ToDictionary(kv => kv.Key.StartsWith("module.", StringComparison.Ordinal) ? kv.Key["module.".Length..] : kv.Key, kv => kv.Value);
        var ours = net.state_dict();
        var classifierSkipped = renamed.TryGetValue("classifier.weight", out var head) && ours.TryGetValue("classifier.weight", out var ourHead)
                                && !head.shape.SequenceEqual(ourHead.shape);
        var ignored = renamed.Keys.Where(k => !ours.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var report = StateDict.Load(net, renamed, new StateDictLoadOptions
        {
            MapName = name => (classifierSkipped && name == "classifier.weight") || !ours.ContainsKey(name) ? null : name,
            Optional = classifierSkipped ? new HashSet<string> { "classifier.weight" } : new HashSet<string>(),
        });
        return new OfficialCheckpointReport(report.Loaded, ours.Count, classifierSkipped, ignored);
    }

    /// <summary>torch.save writes a zip archive (PK header) since PyTorch 1.6.</summary>
    static bool IsZip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4;
    }

    static Dictionary<string, Tensor> ReadPth(string path)
    {
        Hashtable table;
        using (var stream = File.OpenRead(path))
        {
            try { table = PyTorchUnpickler.UnpickleStateDict(stream); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"--pretrained: {path} is not a PyTorch state dict that can be read ({e.Message})", e);
            }
        }
        // the official training checkpoint nests the state dict under "model"
        if (table["model"] is Hashtable model) table = model;
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
            if (entry.Key is string name && entry.Value is Tensor tensor) result[name] = tensor;
        if (result.Count == 0) throw new InvalidDataException($"--pretrained: {path} holds no tensors (expected a state dict or {{'model': state_dict}})");
        return result;
    }
}
