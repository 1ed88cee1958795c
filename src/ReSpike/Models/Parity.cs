using ReSpike.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>Error of our eval-mode logits against PyTorch's for the same weights and clip.</summary>
/// <param name="RelErr">max |ours - reference| / max |reference|.</param>
public sealed record ParityReport(double MaxAbsErr, double RelErr, long[] LogitsShape, int TensorsLoaded, double Seconds)
{
    /// <summary>The parity criterion: rel_err at most 1e-4.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Whether <see cref="RelErr"/> is within <see cref="Tolerance"/>.</summary>
    public bool Ok => RelErr <= Tolerance;
}

/// <summary>
/// Checks the network against files written by `respike_ref.py parity`: a state_dict with the reference's
/// names (mapped by <see cref="ReferenceNames"/>) and {clip, logits}.
/// </summary>
public static class Parity
{
    public static ParityReport Run(string weightsPath, string ioPath, ReSpikeConfig config, int? expectedImage = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var io = ReferenceIo.Read(ioPath, config, expectedImage, [], "respike_ref.py parity");
        var (clip, expected) = (io.Clip, io.Logits);
        config = io.Config;

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
