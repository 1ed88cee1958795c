using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>Resize so the shorter side is <see cref="ShortSide"/> (aspect kept), as torchvision's Resize(int).</summary>
public sealed class Resize(int shortSide) : IClipStep
{
    public int ShortSide { get; } = shortSide;

    public Tensor Apply(Tensor clip, Random rng)
    {
        int height = (int)clip.shape[^2], width = (int)clip.shape[^1];
        // torchvision: the short side becomes exactly S, the long side int(S * long / short)
        var (h, w) = height <= width ? (ShortSide, (int)((long)ShortSide * width / height)) : ((int)((long)ShortSide * height / width), ShortSide);
        return h == height && w == width ? clip.alias() : Bilinear(clip, h, w);
    }

    public static Tensor Bilinear(Tensor clip, int height, int width) =>
        nn.functional.interpolate(clip, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
}
