using System.Text.Json;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>"centre-crop": the centre S×S of a (resized) clip, the one-view test crop (torchvision's CenterCrop).</summary>
public sealed class CentreCrop : IClipStep
{
    public CentreCrop(int size)
    {
        if (size < 1) throw new ArgumentException($"size must be >= 1, got {size}");
        Size = size;
    }

    public int Size { get; }

    public string Type => "centre-crop";
    public bool Draws => false;
    public int? OutputSize => Size;

    public Tensor Apply(Tensor clip, Random rng) => Crops.Center(clip, Size);

    Tensor[] IClipStep.ApplyViews(Tensor clip, Random rng) => [Apply(clip, rng)];

    public string Describe() => $"CentreCrop({Size})";

    public void WriteParameters(Utf8JsonWriter json) => json.WriteNumber("size", Size);

    internal static IClipStep Read(StepParameters p) => new CentreCrop(p.Int("size"));
}
