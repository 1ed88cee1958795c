using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>Error of our eval-mode logits against PyTorch's for the same weights and clip.</summary>
/// <param name="RelErr">max |ours - reference| / max |reference|.</param>
public sealed record ParityReport(double MaxAbsErr, double RelErr, long[] LogitsShape, int TensorsLoaded, double Seconds);

/// <summary>
/// Checks the network against files written by `respike_ref.py parity`: a state_dict with the reference's
/// names (mapped by <see cref="ReferenceNames"/>) and {clip, logits}.
/// </summary>
public static class Parity
{
    public static ParityReport Run(string weightsPath, string ioPath, ReSpikeConfig config, int? expectedImage = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var io = SafeTensorsFile.Open(ioPath);
        foreach (var required in new[] { "clip", "logits" })
            if (!io.Contains(required)) throw new InvalidDataException($"{ioPath} has no '{required}' tensor (expected the .io.safetensors file of respike_ref.py parity)");
        using var scope = torch.NewDisposeScope();
        var clip = io.Read("clip", floatToFloat32: true);
        var expected = io.Read("logits", floatToFloat32: true);
        if (clip.dim() != 5) throw new InvalidDataException($"{ioPath}: clip has shape {ShapeText.Format(clip.shape)}, expected [B, T, 3, H, W]");
        if (expectedImage is { } image && image != clip.shape[3])
            throw new ArgumentException($"--image {image}: the clip in {ioPath} is {clip.shape[3]} px");
        config = config with { Frames = (int)clip.shape[1], ImageSize = (int)clip.shape[3] };
        if (expected.shape[^1] != config.NumClasses)
            throw new ArgumentException($"--classes: the reference logits have {expected.shape[^1]} classes, not {config.NumClasses}");

        using var net = new ReSpikeNet(config);
        var report = StateDict.LoadFile(net, weightsPath, new StateDictLoadOptions { MapName = ReferenceNames.ToOurs });
        net.eval();
        Tensor logits;
        using (torch.no_grad()) logits = net.call(clip);
        if (!logits.shape.SequenceEqual(expected.shape))
            throw new InvalidDataException($"logits shape {ShapeText.Format(logits.shape)} differs from the reference's {ShapeText.Format(expected.shape)}");
        double maxAbs = (logits - expected).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        return new ParityReport(maxAbs, scale > 0 ? maxAbs / scale : maxAbs, logits.shape, report.Loaded, started.Elapsed.TotalSeconds);
    }
}
