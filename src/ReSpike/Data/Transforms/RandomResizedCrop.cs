using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// torchvision's RandomResizedCrop: area fraction in [0.08, 1] and log-uniform aspect ratio in
/// [3/4, 4/3], 10 tries then a centre-crop fallback; bilinear resize without antialiasing (what the
/// reference gets on tensors).
/// </summary>
public sealed class RandomResizedCrop(int size, double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3) : IClipStep
{
    public int Size { get; } = size;

    public Tensor Apply(Tensor clip, Random rng)
    {
        int height = (int)clip.shape[^2], width = (int)clip.shape[^1];
        var (top, left, h, w) = Parameters(height, width, rng);
        using var crop = clip[.., .., top..(top + h), left..(left + w)];
        return Resize.Bilinear(crop, Size, Size);
    }

    public (int Top, int Left, int Height, int Width) Parameters(int height, int width, Random rng)
    {
        double area = (double)height * width;
        double logMin = Math.Log(minRatio), logMax = Math.Log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (minScale + rng.NextDouble() * (maxScale - minScale));
            double aspect = Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
            int w = (int)Math.Round(Math.Sqrt(target * aspect));
            int h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
                return (rng.Next(height - h + 1), rng.Next(width - w + 1), h, w);
        }
        // fallback: the largest centred crop with an allowed aspect ratio
        double ratio = (double)width / height;
        int cw = width, ch = height;
        if (ratio < minRatio) ch = (int)Math.Round(width / minRatio);
        else if (ratio > maxRatio) cw = (int)Math.Round(height * maxRatio);
        return ((height - ch) / 2, (width - cw) / 2, ch, cw);
    }
}
