using ReSpike.IO;

namespace ReSpike.Models;

/// <summary>
/// Imports torchvision ImageNet weights (a safetensors file of a torchvision ResNet state_dict, F32/F16/BF16)
/// into the ANN branch. Our ANN parameter names are torchvision's, so names match one to one; the ImageNet
/// classifier (fc.*) is ignored. A file of another depth fails with the mis-shaped or missing tensors named.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>
    /// --pretrained for any model: official SpikingResformer checkpoints (.pth or safetensors) into a SpikingResformer,
    /// torchvision ImageNet weights into an ANN trunk otherwise. Returns one line saying what matched.
    /// </summary>
    public static string Load(VideoModel net, string path)
    {
        if (net is SpikingResformer.SpikingResformerNet srf)
            return $"loaded the official SpikingResformer checkpoint {path}: {SpikingResformer.OfficialCheckpoint.Load(srf, path).Summary}";
        var report = LoadTorchvision(net, path);
        return $"imported {report.Loaded} ImageNet tensors into the ANN from {path} ({report.Skipped.Count} ignored: {string.Join(", ", report.Skipped)})";
    }

    public static StateDictLoadReport LoadTorchvision(VideoModel net, string path)
    {
        var ann = net.ImageNetTrunk ?? throw new InvalidOperationException($"model '{net.Config.Name}' has no ANN branch to load ImageNet weights into");
        if (!File.Exists(path)) throw new FileNotFoundException($"pretrained weights {path} do not exist", path);
        return StateDict.LoadFile(ann, path, new StateDictLoadOptions
        {
            MapName = name => name.StartsWith("fc.", StringComparison.Ordinal) ? null : name,
        });
    }
}
