using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>Mirrors the whole clip left-right with probability p (one draw per clip).</summary>
public sealed class HorizontalFlip(double probability = 0.5) : IClipStep
{
    public Tensor Apply(Tensor clip, Random rng) => rng.NextDouble() < probability ? clip.flip(-1) : clip.alias();
}
