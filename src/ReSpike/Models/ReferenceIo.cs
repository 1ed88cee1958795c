using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>
/// The `OUT.io.safetensors` file of `respike_ref.py parity` (eval: clip, logits; --train also labels, loss), read
/// and checked against the command line: the clip's frame count and size fix the model's, --image and --classes must agree.
/// </summary>
public sealed class ReferenceIo
{
    ReferenceIo(SafeTensorsFile file, Tensor clip, Tensor logits, ReSpikeConfig config) => (File, Clip, Logits, Config) = (file, clip, logits, config);

    public SafeTensorsFile File { get; }
    /// <summary>[B, T, 3, H, W], float32, in the caller's dispose scope.</summary>
    public Tensor Clip { get; }
    /// <summary>The reference's logits, float32.</summary>
    public Tensor Logits { get; }
    /// <summary>The caller's config with frames and image size taken from the clip.</summary>
    public ReSpikeConfig Config { get; }

    /// <param name="required">Tensors the file must hold besides clip and logits.</param>
    /// <param name="producer">Names the command that writes the file, for the error message.</param>
    public static ReferenceIo Read(string path, ReSpikeConfig config, int? expectedImage, IEnumerable<string> required, string producer)
    {
        var file = SafeTensorsFile.Open(path);
        foreach (var name in new[] { "clip", "logits" }.Concat(required))
            if (!file.Contains(name)) throw new InvalidDataException($"{path} has no '{name}' tensor (expected the .io.safetensors file of {producer})");
        var clip = file.Read("clip", floatToFloat32: true);
        var logits = file.Read("logits", floatToFloat32: true);
        if (clip.dim() != 5) throw new InvalidDataException($"{path}: clip has shape {ShapeText.Format(clip.shape)}, expected [B, T, 3, H, W]");
        if (expectedImage is { } image && image != clip.shape[3])
            throw new ArgumentException($"--image {image}: the clip in {path} is {clip.shape[3]} px");
        if (logits.shape[^1] != config.NumClasses)
            throw new ArgumentException($"--classes: the reference logits have {logits.shape[^1]} classes, not {config.NumClasses}");
        return new(file, clip, logits, config with { Frames = (int)clip.shape[1], ImageSize = (int)clip.shape[3] });
    }
}
