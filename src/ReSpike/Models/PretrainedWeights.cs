using ReSpike.IO;

namespace ReSpike.Models;

/// <summary>
/// Imports torchvision ImageNet weights (a safetensors file of a torchvision ResNet state_dict, F32/F16/BF16)
/// into the ANN branch. Our ANN parameter names are torchvision's, so names match one to one; the ImageNet
/// classifier (fc.*) is ignored. A file of another depth fails with the mis-shaped or missing tensors named.
/// </summary>
public static class PretrainedWeights
{
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
