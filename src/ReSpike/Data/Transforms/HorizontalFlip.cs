using System.Text.Json;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>"flip": mirrors the whole clip left-right with probability p (one draw per clip, even at p = 0 or 1, so the draws of later steps stay where they were).</summary>
public sealed class HorizontalFlip : IClipStep
{
    public HorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentException($"p must be in [0, 1], got {probability}");
        Probability = probability;
    }

    public double Probability { get; }

    public string Type => "flip";
    public bool Draws => true;
    public int? OutputSize => null;

    public Tensor Apply(Tensor clip, Random rng) => rng.NextDouble() < Probability ? clip.flip(-1) : clip.alias();

    Tensor[] IClipStep.ApplyViews(Tensor clip, Random rng) => [Apply(clip, rng)];

    public string Describe() => $"Flip(p={StepParameters.Format(Probability)})";

    public void WriteParameters(Utf8JsonWriter json) => json.WriteNumber("p", Probability);

    internal static IClipStep Read(StepParameters p) => new HorizontalFlip(p.Double("p", 0.5));
}
