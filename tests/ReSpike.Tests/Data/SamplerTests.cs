using ReSpike.Data.Sampling;

namespace ReSpike.Tests.Data;

/// <summary>The three samplers and the one short-video rule (a video shorter than T is looped).</summary>
public class SamplerTests
{
    static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();

    [Fact]
    public void Consecutive_clips_are_all_complete_non_overlapping_windows()
    {
        var sampler = new ConsecutiveClipSampler(16);
        var clips = sampler.Sample(50, new Random(0));
        Assert.Equal([Range(0, 16), Range(16, 16), Range(32, 16)], clips);
        Assert.Equal(2, sampler.Sample(32, new Random(0)).Count);
        Assert.Equal([Range(0, 16)], sampler.Sample(16, new Random(0)));
        Assert.Equal(300 / 16, sampler.Sample(300, new Random(0)).Count);
        Assert.False(sampler.IsRandom);
    }

    [Fact]
    public void Videos_shorter_than_the_clip_are_looped_by_every_sampler()
    {
        int[] looped = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5];
        foreach (var sampler in new ClipSampler[] { new ConsecutiveClipSampler(16), new SegmentSampler(16, false), new SegmentSampler(16, true), new UniformClipSampler(16, 5) })
            Assert.Equal([looped], sampler.Sample(10, new Random(1)));
        Assert.Equal([new[] { 0, 0, 0, 0 }], new ConsecutiveClipSampler(4).Sample(1, new Random(0)));
        Assert.Throws<ArgumentException>(() => new ConsecutiveClipSampler(4).Looped(0));
    }

    [Fact]
    public void Segment_sampling_takes_one_frame_per_equal_segment()
    {
        var centre = new SegmentSampler(8, randomOffsets: false);
        Assert.Equal([new[] { 2, 7, 12, 17, 22, 27, 32, 37 }], centre.Sample(43, new Random(0))); // segments of 43 // 8 = 5 frames
        Assert.False(centre.IsRandom);
        Assert.Equal([Range(0, 8)], centre.Sample(8, new Random(0)));

        var random = new SegmentSampler(8, randomOffsets: true);
        Assert.True(random.IsRandom);
        var draws = Enumerable.Range(0, 200).Select(s => random.Sample(43, new Random(s)).Single()).ToList();
        foreach (var clip in draws)
            for (int i = 0; i < 8; i++) Assert.InRange(clip[i], 5 * i, 5 * i + 4);
        // every offset of a segment gets used, and the same seed repeats the draw
        Assert.Equal(5, draws.Select(c => c[3]).Distinct().Count());
        Assert.Equal(random.Sample(43, new Random(7)).Single(), random.Sample(43, new Random(7)).Single());
    }

    [Fact]
    public void Uniform_clips_are_spread_evenly_and_centred_in_their_intervals()
    {
        var sampler = new UniformClipSampler(16, 3);
        // (100 - 16 + 1) / 3 = 28.33 frames per interval: starts at 14, 42, 70
        Assert.Equal([Range(14, 16), Range(42, 16), Range(70, 16)], sampler.Sample(100, new Random(0)));
        var ten = new UniformClipSampler(8, 10).Sample(300, new Random(0));
        Assert.Equal(10, ten.Count);
        Assert.All(ten, c => Assert.InRange(c[0], 0, 300 - 8));
        Assert.All(ten, c => Assert.Equal(Range(c[0], 8), c));
        Assert.Equal(ten.Select(c => c[0]).Order(), ten.Select(c => c[0]));
        // a video just long enough has one possible start: the repeats collapse into one clip
        Assert.Equal([Range(0, 16)], sampler.Sample(16, new Random(0)));
        Assert.Throws<ArgumentException>(() => new UniformClipSampler(16, 0));
    }

    [Theory]
    [InlineData("clips", typeof(ConsecutiveClipSampler), false)]
    [InlineData("consecutive", typeof(ConsecutiveClipSampler), false)]
    [InlineData("segments", typeof(SegmentSampler), true)]
    [InlineData("tsn", typeof(SegmentSampler), true)]
    [InlineData("segments:random", typeof(SegmentSampler), true)]
    [InlineData("segments:centre", typeof(SegmentSampler), false)]
    [InlineData("uniform:4", typeof(UniformClipSampler), false)]
    public void Sampler_names_parse(string text, Type type, bool random)
    {
        // one sampler for training and testing: "segments" tests on random TSN offsets as the reference does on Kinetics
        var sampler = ClipSampler.Parse(text, 16);
        Assert.IsType(type, sampler);
        Assert.Equal(16, sampler.ClipLength);
        Assert.Equal(random, sampler.IsRandom);
        if (sampler is UniformClipSampler u) Assert.Equal(4, u.Clips);
        if (sampler is SegmentSampler { RandomOffsets: false } centred)
            Assert.Equal([new[] { 2, 7, 12, 17, 22, 27, 32, 37, 42, 47, 52, 57, 62, 67, 72, 77 }], centred.Sample(80, new Random(0)));
    }

    [Theory]
    [InlineData("uniform:0")]
    [InlineData("uniform")]
    [InlineData("dense")]
    [InlineData("segments:middle")]
    public void Unknown_sampler_names_are_refused(string text) =>
        Assert.Contains("--sampling: unknown sampler", Assert.Throws<ArgumentException>(() => ClipSampler.Parse(text, 16)).Message);
}
