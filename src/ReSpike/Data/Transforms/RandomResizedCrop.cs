using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// "random-resized-crop": torchvision's RandomResizedCrop: area fraction in [0.08, 1] and log-uniform aspect
/// ratio in [3/4, 4/3], 10 tries then a centre-crop fallback; bilinear resize without antialiasing (what the
/// reference gets on tensors).
/// </summary>
public sealed class RandomResizedCrop : IClipStep
{
    readonly double minScale, maxScale, minRatio, maxRatio;

    public RandomResizedCrop(int size, double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    {
        if (size < 1) throw new ArgumentException($"size must be >= 1, got {size}");
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) throw new ArgumentException($"scale must be [min, max] with 0 < min <= max <= 1, got [{minScale}, {maxScale}]");
        if (!(minRatio > 0 && minRatio <= maxRatio && double.IsFinite(maxRatio))) throw new ArgumentException($"ratio must be [min, max] with 0 < min <= max, got [{minRatio}, {maxRatio}]");
        Size = size;
        (this.minScale, this.maxScale, this.minRatio, this.maxRatio) = (minScale, maxScale, minRatio, maxRatio);
    }

    public int Size { get; }
    public (double Min, double Max) Scale => (minScale, maxScale);
    public (double Min, double Max) Ratio => (minRatio, maxRatio);

    public string Type => "random-resized-crop";
    public bool Draws => true;
    public int? OutputSize => Size;

    public Tensor Apply(Tensor clip, Random rng) =>
        Resize.CropAndResize(clip, Parameters((int)clip.shape[^2], (int)clip.shape[^1], rng), Size);

    Tensor[] IClipStep.ApplyViews(Tensor clip, Random rng) => [Apply(clip, rng)];

    public string Describe() =>
        $"RandomResizedCrop({Size}, scale=({StepParameters.Format(minScale)}, {StepParameters.Format(maxScale)}), ratio=({StepParameters.Format(minRatio)}, {StepParameters.Format(maxRatio)}))";

    public void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteNumber("size", Size);
        StepParameters.WriteNumbers(json, "scale", [minScale, maxScale]);
        StepParameters.WriteNumbers(json, "ratio", [minRatio, maxRatio]);
    }

    internal static IClipStep Read(StepParameters p)
    {
        int size = p.Int("size");
        var scale = p.Doubles("scale", [0.08, 1.0], length: 2);
        var ratio = p.Doubles("ratio", [3.0 / 4, 4.0 / 3], length: 2);
        return new RandomResizedCrop(size, scale[0], scale[1], ratio[0], ratio[1]);
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
