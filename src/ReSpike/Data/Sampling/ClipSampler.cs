using ReSpike.Registry;

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

    /// <summary>The --sampling choices; a new sampler is one registration here.</summary>
    public static Registry<SamplerEntry> Registry { get; } = Build();

    static Registry<SamplerEntry> Build()
    {
        var r = new Registry<SamplerEntry>("sampler", "--sampling");
        r.Add(new("clips", "every consecutive clip of a video (the reference's UCF-101/HMDB-51)",
                  (length, arg) => arg is null ? new ConsecutiveClipSampler(length) : null), "consecutive");
        r.Add(new("segments", "one TSN clip per video, random offsets (the reference's Kinetics-400, training and testing)",
                  (length, arg) => arg is null ? new SegmentSampler(length, randomOffsets: true) : null), "tsn", "segments:random");
        r.Add(new("segments:centre", "one TSN clip per video at the segment centres",
                  (length, arg) => arg is null ? new SegmentSampler(length, randomOffsets: false) : null), "segments:center");
        r.Add(new("uniform:N", "N evenly spaced clips per video",
                  (length, arg) => int.TryParse(arg, out var clips) && clips >= 1 ? new UniformClipSampler(length, clips) : null), "uniform");
        return r;
    }

    /// <summary>
    /// Parses "clips" (all consecutive clips, the reference's UCF-101/HMDB-51 protocol), "segments" (TSN with
    /// random offsets, the reference's Kinetics-400 protocol for training and testing alike), "segments:centre"
    /// (TSN at segment centres) or "uniform:N" (N evenly spaced clips). The same name serves training and
    /// evaluation, so a model is tested the way it was trained; an evaluation draws from a fixed seed.
    /// </summary>
    public static ClipSampler Parse(string text, int clipLength)
    {
        // a whole name ("segments:centre") first, then "name:argument" ("uniform:4")
        int colon = text.LastIndexOf(':');
        var sampler = Registry.TryGet(text, out var whole) ? whole.Create(clipLength, null)
            : colon > 0 && Registry.TryGet(text[..colon], out var named) ? named.Create(clipLength, text[(colon + 1)..])
            : null;
        return sampler ?? throw Registry.Unknown(text);
    }
}
