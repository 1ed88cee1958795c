using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>"resize-short": resize so the shorter side is <see cref="ShortSide"/> (aspect kept), as torchvision's Resize(int).</summary>
public sealed class Resize : IClipStep
{
    public Resize(int shortSide)
    {
        if (shortSide < 1) throw new ArgumentException($"size must be >= 1, got {shortSide}");
        ShortSide = shortSide;
    }

    public int ShortSide { get; }

    public string Type => "resize-short";
    public bool Draws => false;
    public int? OutputSize => null;

    public Tensor Apply(Tensor clip, Random rng)
    {
        int height = (int)clip.shape[^2], width = (int)clip.shape[^1];
        // torchvision: the short side becomes exactly S, the long side int(S * long / short)
        var (h, w) = height <= width ? (ShortSide, (int)((long)ShortSide * width / height)) : ((int)((long)ShortSide * height / width), ShortSide);
        return h == height && w == width ? clip.alias() : Bilinear(clip, h, w);
    }

    Tensor[] IClipStep.ApplyViews(Tensor clip, Random rng) => [Apply(clip, rng)];

    public string Describe() => $"ResizeShort({ShortSide})";

    public void WriteParameters(Utf8JsonWriter json) => json.WriteNumber("size", ShortSide);

    internal static IClipStep Read(StepParameters p) => new Resize(p.Int("size"));

    public static Tensor Bilinear(Tensor clip, int height, int width) =>
        nn.functional.interpolate(clip, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false);

    /// <summary>The region (top, left, h, w) of every frame, resized to size × size: what the random crops do once they have drawn it.</summary>
    public static Tensor CropAndResize(Tensor clip, (int Top, int Left, int H, int W) region, int size)
    {
        var (top, left, h, w) = region;
        using var crop = clip[.., .., top..(top + h), left..(left + w)];
        return Bilinear(crop, size, size);
    }
}
