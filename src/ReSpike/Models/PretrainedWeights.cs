using ReSpike.IO;
using ReSpike.Models.Video3d;

namespace ReSpike.Models;

/// <summary>
/// Imports torchvision ImageNet weights (a safetensors file of a torchvision ResNet state_dict, F32/F16/BF16)
/// into the ANN branch. Our ANN parameter names are torchvision's, so names match one to one; the ImageNet
/// classifier (fc.*) is ignored. A file of another depth fails with the mis-shaped or missing tensors named.
/// For the video ResNets (r3d-18, mc3-18, r2plus1d-18) it loads torchvision's Kinetics-400 weights instead (<see cref="TorchvisionVideoWeights"/>).
/// </summary>
public static class PretrainedWeights
{
    /// <summary>
    /// --pretrained for any model: official SpikingResformer checkpoints (.pth or safetensors) into a SpikingResformer,
    /// torchvision's Kinetics-400 video weights into a video ResNet, torchvision ImageNet weights into an ANN trunk
    /// otherwise. Returns one line saying what matched.
    /// </summary>
    public static string Load(VideoModel net, string path)
    {
        if (net is SpikingResformer.SpikingResformerNet srf)
            return $"loaded the official SpikingResformer checkpoint {path}: {SpikingResformer.OfficialCheckpoint.Load(srf, path).Summary}";
        var report = LoadTorchvision(net, path);
        return net is VideoResNet
            ? $"imported {report.Loaded} torchvision video tensors (all but the classifier) from {path}"
            : $"imported {report.Loaded} ImageNet tensors into the ANN from {path} ({report.Skipped.Count} ignored: {string.Join(", ", report.Skipped)})";
    }

    /// <summary>torchvision weights by name: Kinetics-400 video weights into a video ResNet, ImageNet weights into the ANN trunk (fc skipped).</summary>
    public static StateDictLoadReport LoadTorchvision(VideoModel net, string path)
    {
        // the 3D ResNets take torchvision's Kinetics-400 video weights (.pth or .safetensors) instead
        if (net is VideoResNet video) return TorchvisionVideoWeights.LoadPretrained(video, path);
        var ann = net.ImageNetTrunk ?? throw new InvalidOperationException($"model '{net.Config.Name}' has no ANN branch to load ImageNet weights into");
        if (!File.Exists(path)) throw new FileNotFoundException($"pretrained weights {path} do not exist", path);
        return StateDict.LoadFile(ann, path, new StateDictLoadOptions
        {
            MapName = name => name.StartsWith("fc.", StringComparison.Ordinal) ? null : name,
        });
    }
}
