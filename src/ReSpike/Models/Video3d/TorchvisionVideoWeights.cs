using System.Collections;
using ReSpike.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// torchvision video-model state dicts (its Kinetics-400 weights: r3d_18-b3b3357e.pth, mc3_18-a90a0ba3.pth,
/// r2plus1d_18-91a641e6.pth, or any `torch.save(model.state_dict(), ...)`) loaded into a <see cref="VideoResNet"/>
/// by name. A `.safetensors` file is read directly, anything else as a PyTorch pickle through TorchSharp.PyBridge.
/// </summary>
public static class TorchvisionVideoWeights
{
    /// <summary>
    /// --pretrained: every tensor but the Kinetics classifier (fc.*), which a fine-tune on other classes replaces.
    /// A file of another network fails with the missing, unexpected or mis-shaped tensors named.
    /// </summary>
    public static StateDictLoadReport LoadPretrained(VideoResNet net, string path) =>
        Load(net, path, new StateDictLoadOptions
        {
            MapName = name => name.StartsWith("fc.", StringComparison.Ordinal) ? null : name,
            Optional = new HashSet<string> { "fc.weight", "fc.bias" },   // ours keep their fresh initialisation
        });

    /// <summary>Every tensor, the classifier included (parity: the file must be a state dict of this exact network).</summary>
    public static StateDictLoadReport LoadAll(VideoResNet net, string path) => Load(net, path, null);

    static StateDictLoadReport Load(VideoResNet net, string path, StateDictLoadOptions? options)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"torchvision weights {path} do not exist", path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return StateDict.LoadFile(net, path, options);
        using var scope = NewDisposeScope();
        var tensors = ReadPickle(path);
        return StateDict.Load(net, tensors, options);
    }

    /// <summary>The named tensors of a `torch.save`d state dict (in the caller's dispose scope).</summary>
    public static IReadOnlyDictionary<string, Tensor> ReadPickle(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not IOException)
        {
            throw new InvalidDataException($"{path} is not a PyTorch state dict saved with torch.save (nor a .safetensors file): {e.Message}", e);
        }
        var tensors = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is not Tensor t)
                throw new InvalidDataException($"{path}: '{entry.Key}' is not a tensor; expected a flat state dict (torch.save(model.state_dict(), path))");
            tensors[(string)entry.Key] = t;
        }
        return tensors;
    }
}
