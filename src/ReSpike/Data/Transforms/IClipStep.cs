using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// One step of a clip pipeline over [T, 3, H, W]. A step draws its random parameters once per call,
/// so every frame of the clip gets the same crop/flip (temporal consistency).
/// </summary>
public interface IClipStep
{
    Tensor Apply(Tensor clip, Random rng);
}
