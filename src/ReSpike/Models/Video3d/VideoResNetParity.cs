using ReSpike.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// Eval-mode logits of our <see cref="VideoResNet"/> against torchvision.models.video's for the same state dict
/// (written by bench/video3d/torchvision_parity.py: OUT.weights.pth and OUT.io.safetensors with clip and logits).
/// </summary>
public static class VideoResNetParity
{
    /// <summary>True when `respike parity --model` names a torchvision video ResNet (checked here rather than against ReSpike's reference).</summary>
    public static bool Handles(string model) => VideoResNetDesign.All.Any(d => d.Name == model);

    public static ParityReport Run(string weightsPath, string ioPath, ReSpikeConfig config, int? expectedImage = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var io = ReferenceIo.Read(ioPath, config, expectedImage, [], "bench/video3d/torchvision_parity.py");
        using var net = new VideoResNet(WithFrames(io.Config));
        var loaded = TorchvisionVideoWeights.LoadAll(net, weightsPath);
        net.eval();
        Tensor logits;
        using (torch.no_grad()) logits = net.call(io.Clip);
        if (!logits.shape.SequenceEqual(io.Logits.shape))
            throw new InvalidDataException($"logits shape {ShapeText.Format(logits.shape)} differs from torchvision's {ShapeText.Format(io.Logits.shape)}");
        double maxAbs = (logits - io.Logits).abs().max().item<float>();
        double scale = io.Logits.abs().max().item<float>();
        return new ParityReport(maxAbs, scale > 0 ? maxAbs / scale : maxAbs, logits.shape, loaded.Loaded, started.Elapsed.TotalSeconds);
    }

    /// <summary>The clip fixes frames and size; the key-frame stride means nothing to a 3D network, so it is set to divide any frame count.</summary>
    internal static ReSpikeConfig WithFrames(ReSpikeConfig config) => config with { Stride = 1 };
}
