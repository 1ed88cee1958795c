namespace ReSpike.Data.Sampling;

/// <summary>
/// Video-level test sampling (mmaction2's test_mode SampleFrames): N clips of T consecutive frames
/// whose starts are spread evenly over the video, each at the centre of its interval.
/// </summary>
public sealed class UniformClipSampler : ClipSampler
{
    public UniformClipSampler(int clipLength, int clips) : base(clipLength)
    {
        if (clips < 1) throw new ArgumentException($"--clips must be >= 1, got {clips}");
        Clips = clips;
    }

    public int Clips { get; }

    public override bool IsRandom => false;

    public override IReadOnlyList<int[]> Sample(int frameCount, Random rng)
    {
        if (frameCount < ClipLength) return [Looped(frameCount)];
        double interval = (frameCount - ClipLength + 1) / (double)Clips;
        var starts = Enumerable.Range(0, Clips).Select(i => (int)Math.Floor((i + 0.5) * interval)).Distinct();
        return starts.Select(Window).ToList();
    }
}
