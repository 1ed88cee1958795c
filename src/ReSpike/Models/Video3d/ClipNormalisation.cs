using ReSpike.Data.Transforms;
using ReSpike.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// The input statistics a 3D network was trained with, and the map from our data pipeline's clips to them. Every
/// pipeline ends with ImageNet normalisation (<see cref="Normalize"/>: (p/255 − m)/s); torchvision's video weights
/// expect Kinetics statistics and mmaction2's C3D expects raw 0..255 pixels minus a mean. Both are a per-channel
/// affine map of what the pipeline gives, so the model applies it itself and the pipeline, loader and caches stay shared.
/// </summary>
/// <param name="PixelScale">What a 0..255 pixel is multiplied by before the mean is taken off (1/255 for torchvision, 1 for C3D).</param>
/// <param name="Mean">Per-channel mean (R, G, B) in the scaled units.</param>
/// <param name="Std">Per-channel std (R, G, B) in the scaled units.</param>
public sealed record ClipNormalisation(double PixelScale, double[] Mean, double[] Std)
{
    /// <summary>torchvision.models.video's Kinetics-400 statistics (its weights' transforms: 0..1 pixels).</summary>
    public static ClipNormalisation TorchvisionKinetics { get; } = new(1.0 / 255, [0.43216, 0.394666, 0.37645], [0.22803, 0.22145, 0.216989]);

    /// <summary>mmaction2's C3D data preprocessor: 0..255 pixels minus (104, 117, 128), std 1.</summary>
    public static ClipNormalisation C3DMmaction2 { get; } = new(1, [104, 117, 128], [1, 1, 1]);

    /// <summary>"(p/255 − (0.43216, 0.394666, 0.37645)) / (0.22803, 0.22145, 0.216989)", for docs and --help.</summary>
    public string Describe() => PixelScale == 1
        ? $"p − ({string.Join(", ", Mean)}), std ({string.Join(", ", Std)})"
        : $"(p/{1 / PixelScale:0} − ({string.Join(", ", Mean)})) / ({string.Join(", ", Std)})";

    /// <summary>
    /// A pipeline clip [B, T, 3, H, W] (ImageNet-normalised) as this network's input [B, 3, T, H, W]: p = 255·(x·s + m)
    /// re-normalised per channel in one multiply-add, then channels moved ahead of time (NCTHW, as torchvision and mmaction2).
    /// </summary>
    public Tensor ToNetworkInput(Tensor clip)
    {
        if (clip.dim() != 5 || clip.shape[2] != 3)
            throw new ArgumentException($"expected a clip [B, T, 3, H, W], got {ShapeText.Format(clip.shape)}");
        var scale = new double[3];
        var shift = new double[3];
        for (int c = 0; c < 3; c++)
        {
            double pixelsPerUnit = 255 * PixelScale;
            scale[c] = pixelsPerUnit * Normalize.ImageNetStd[c] / Std[c];
            shift[c] = (pixelsPerUnit * Normalize.ImageNetMean[c] - Mean[c]) / Std[c];
        }
        // computed in float64, rounded once to the clip's precision (float64 in the train-step parity)
        using var a = torch.tensor(scale, dtype: clip.dtype, device: clip.device).view(1, 1, 3, 1, 1);
        using var b = torch.tensor(shift, dtype: clip.dtype, device: clip.device).view(1, 1, 3, 1, 1);
        using var renormalised = torch.addcmul(b, clip, a, 1);
        return renormalised.permute(0, 2, 1, 3, 4).contiguous();
    }
}
