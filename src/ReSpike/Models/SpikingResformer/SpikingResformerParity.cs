using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// Checks a SpikingResformer against the official code for the same weights: the files that
/// `bench/spikingresformer_ref.py parity` writes, a state dict with the official names (loaded strictly: every
/// parameter and buffer, DSSA firing rates included) and {image [B, 3, P, P], logits [T, B, N]}, the official
/// eval-mode per-timestep logits.
/// </summary>
public static class SpikingResformerParity
{
    /// <summary>The producer named in error messages.</summary>
    public const string Producer = "bench/spikingresformer_ref.py parity";

    /// <summary>
    /// The config of a parity run: the model, its classes, T timesteps and the image size the official model was
    /// built for (its DSSA token counts depend on it); without <paramref name="image"/>, the size of the image in <paramref name="ioPath"/>.
    /// </summary>
    public static ReSpikeConfig ConfigFor(string model, int classes, int timesteps, int? image, string ioPath)
    {
        if (timesteps < 1) throw new ArgumentException($"--timesteps: must be >= 1, got {timesteps}");
        int side = image ?? (int)SafeTensorsFile.Open(ioPath).Entry("image").Shape[^1];
        return new() { Name = model, NumClasses = classes, Stride = 1, Frames = timesteps, ImageSize = side };
    }

    public static ParityReport Run(string weightsPath, string ioPath, ReSpikeConfig config)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var (image, expected) = ReadIo(ioPath, config, []);
        using var net = (SpikingResformerNet)ModelRegistry.Create(config);
        var report = StateDict.LoadFile(net, weightsPath);
        net.eval();
        Tensor logits;
        using (torch.no_grad()) logits = net.ForwardTimesteps(image);
        if (!logits.shape.SequenceEqual(expected.shape))
            throw new InvalidDataException($"logits shape {ShapeText.Format(logits.shape)} differs from the official {ShapeText.Format(expected.shape)}");
        double maxAbs = (logits - expected).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        return new ParityReport(maxAbs, scale > 0 ? maxAbs / scale : maxAbs, logits.shape, report.Loaded, started.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Reads image and logits (plus <paramref name="required"/>) and checks them against the config: the image is
    /// [B, 3, P, P] with P = --image, the logits [T, B, N] with T = --timesteps and N = --classes.
    /// </summary>
    public static (Tensor Image, Tensor Logits) ReadIo(string path, ReSpikeConfig config, IEnumerable<string> required)
    {
        var file = SafeTensorsFile.Open(path);
        foreach (var name in new[] { "image", "logits" }.Concat(required))
            if (!file.Contains(name)) throw new InvalidDataException($"{path} has no '{name}' tensor (expected the .io.safetensors file of {Producer})");
        var image = file.Read("image", floatToFloat32: true);
        var logits = file.Read("logits", floatToFloat32: true);
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new InvalidDataException($"{path}: image has shape {ShapeText.Format(image.shape)}, expected [B, 3, P, P]");
        if (image.shape[2] != config.ImageSize || image.shape[3] != config.ImageSize)
            throw new ArgumentException($"--image {config.ImageSize}: the image in {path} is {image.shape[2]}x{image.shape[3]} px");
        if (logits.dim() != 3)
            throw new InvalidDataException($"{path}: logits have shape {ShapeText.Format(logits.shape)}, expected [T, B, N]");
        if (logits.shape[0] != config.Frames)
            throw new ArgumentException($"--timesteps {config.Frames}: the official logits in {path} have {logits.shape[0]} timesteps");
        if (logits.shape[2] != config.NumClasses)
            throw new ArgumentException($"--classes {config.NumClasses}: the official logits in {path} have {logits.shape[2]} classes");
        return (image, logits);
    }
}
