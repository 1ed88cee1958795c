namespace ReSpike.Data.Sampling;

/// <summary>
/// The reference's clip-level protocol (torchvision UCF101/HMDB51 with step = clip length): every
/// complete, non-overlapping run of T consecutive frames; the partial tail is dropped.
/// </summary>
public sealed class ConsecutiveClipSampler(int clipLength) : ClipSampler(clipLength)
{
    public override bool IsRandom => false;

    public override IReadOnlyList<int[]> Sample(int frameCount, Random rng)
    {
        if (frameCount < ClipLength) return [Looped(frameCount)];
        var clips = new List<int[]>(frameCount / ClipLength);
        for (int start = 0; start + ClipLength <= frameCount; start += ClipLength) clips.Add(Window(start));
        return clips;
    }
}
