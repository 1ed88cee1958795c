using System.Text.Json;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>"three-crop": three S×S views along the longer side (start, middle, end; mmaction2's ThreeCrop); the video level of `eval --crops 3`.</summary>
public sealed class ThreeCrop : IClipStep
{
    public ThreeCrop(int size)
    {
        if (size < 1) throw new ArgumentException($"size must be >= 1, got {size}");
        Size = size;
    }

    public int Size { get; }

    public string Type => "three-crop";
    public bool Draws => false;
    public int? OutputSize => Size;
    public int Views => 3;

    public Tensor[] ApplyViews(Tensor clip, Random rng) => Crops.Three(clip, Size);

    public string Describe() => $"ThreeCrop({Size})";

    public void WriteParameters(Utf8JsonWriter json) => json.WriteNumber("size", Size);

    internal static IClipStep Read(StepParameters p) => new ThreeCrop(p.Int("size"));
}
