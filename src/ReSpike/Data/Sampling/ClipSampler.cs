namespace ReSpike.Data.Sampling;

/// <summary>
/// Chooses which frames of a video make its clips. One rule for short videos everywhere: a video
/// with fewer frames than the clip length is looped (frame i of the clip is frame i mod n), so it
/// yields one clip instead of vanishing.
/// </summary>
public abstract class ClipSampler
{
    protected ClipSampler(int clipLength)
    {
        if (clipLength < 1) throw new ArgumentException($"clip length must be >= 1, got {clipLength}");
        ClipLength = clipLength;
    }

    public int ClipLength { get; }

    /// <summary>True when the clips depend on the random generator (they change every epoch).</summary>
    public abstract bool IsRandom { get; }

    /// <summary>Frame indices of each clip taken from a video of <paramref name="frameCount"/> frames.</summary>
    public abstract IReadOnlyList<int[]> Sample(int frameCount, Random rng);

    /// <summary>The looped clip of a short video: 0, 1, ..., n-1, 0, 1, ...</summary>
    public int[] Looped(int frameCount)
    {
        if (frameCount < 1) throw new ArgumentException($"a video needs at least 1 frame, got {frameCount}");
        return Enumerable.Range(0, ClipLength).Select(i => i % frameCount).ToArray();
    }

    protected int[] Window(int start) => Enumerable.Range(start, ClipLength).ToArray();

    /// <summary>
    /// Parses "clips" (all consecutive clips, the reference's UCF-101/HMDB-51 protocol), "segments" (TSN with
    /// random offsets, the reference's Kinetics-400 protocol for training and testing alike), "segments:centre"
    /// (TSN at segment centres) or "uniform:N" (N evenly spaced clips). The same name serves training and
    /// evaluation, so a model is tested the way it was trained; an evaluation draws from a fixed seed.
    /// </summary>
    public static ClipSampler Parse(string text, int clipLength) => text.Split(':') switch
    {
        ["clips"] or ["consecutive"] => new ConsecutiveClipSampler(clipLength),
        ["segments"] or ["tsn"] or ["segments", "random"] => new SegmentSampler(clipLength, randomOffsets: true),
        ["segments", "centre" or "center"] => new SegmentSampler(clipLength, randomOffsets: false),
        ["uniform", var n] when int.TryParse(n, out var clips) && clips >= 1 => new UniformClipSampler(clipLength, clips),
        _ => throw new ArgumentException($"--sampling: unknown sampler '{text}' (use clips, segments, segments:centre or uniform:N)"),
    };
}
