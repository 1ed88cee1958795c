using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>
/// A model whose clip logits are the mean of independent per-segment logits (ReSpike: one key frame and its s−1
/// residuals per segment). Segments can then be run one at a time: early exit stops after any of them and a
/// stream runs each new segment once, as soon as its frames have arrived.
/// </summary>
public interface ISegmentedModel
{
    /// <summary>Frames per segment (the key-frame stride s).</summary>
    int SegmentFrames { get; }

    /// <summary>clip [B, T, 3, H, W] (T a multiple of <see cref="SegmentFrames"/>) → logits per segment [B, T/s, classes].</summary>
    Tensor SegmentLogits(Tensor clip);
}
