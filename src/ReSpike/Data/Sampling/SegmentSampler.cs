namespace ReSpike.Data.Sampling;

/// <summary>
/// TSN-style sampling (the reference's Kinetics protocol): the video is cut into T equal segments of
/// n // T frames and one frame is taken from each, at a random offset (training, and the reference's
/// Kinetics evaluation, which then draws from a fixed seed) or at the segment's centre.
/// </summary>
public sealed class SegmentSampler(int segments, bool randomOffsets) : ClipSampler(segments)
{
    public bool RandomOffsets { get; } = randomOffsets;

    public override bool IsRandom => RandomOffsets;

    public override IReadOnlyList<int[]> Sample(int frameCount, Random rng)
    {
        int average = frameCount / ClipLength;
        if (average == 0) return [Looped(frameCount)];
        var clip = new int[ClipLength];
        for (int i = 0; i < ClipLength; i++) clip[i] = i * average + (RandomOffsets ? rng.Next(average) : average / 2);
        return [clip];
    }
}
