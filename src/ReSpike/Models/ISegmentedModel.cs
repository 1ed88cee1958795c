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

    /// <summary>
    /// Whether this configuration's segments really are independent, one vote each (ReSpike's routing: ANN on key frames,
    /// SNN on residuals). An SNN run as one sequence over the clip (RGB or key-frame input) carries its state across
    /// segments, and an ANN on all frames votes several times per segment: neither can stop after a segment.
    /// </summary>
    bool SegmentsIndependent { get; }

    /// <summary>clip [B, T, 3, H, W] (T a multiple of <see cref="SegmentFrames"/>) → logits per segment [B, T/s, classes].</summary>
    Tensor SegmentLogits(Tensor clip);

    /// <summary><paramref name="net"/> as a segmented model, or an error naming <paramref name="flag"/> that says why it is not one.</summary>
    static ISegmentedModel Require(VideoModel net, string flag) => net switch
    {
        ISegmentedModel { SegmentsIndependent: true } segmented => segmented,
        ISegmentedModel => throw new ArgumentException($"{flag}: model '{net.Config.Name}' does not run its key-frame segments independently " +
                                                       "(its SNN is one sequence over the clip, or its ANN votes per frame); use respike, respike-noattn, ann or snn"),
        _ => throw new ArgumentException($"{flag}: model '{net.Config.Name}' has no key-frame segments (use a ReSpike variant)"),
    };
}
