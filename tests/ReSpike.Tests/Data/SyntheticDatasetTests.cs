using ReSpike.Data;
using ReSpike.Data.Synthetic;
using ReSpike.Video;

namespace ReSpike.Tests.Data;

/// <summary>The built-in dataset: reproducible from a seed; slide classes differ only in motion, shape classes in appearance.</summary>
public class SyntheticDatasetTests
{
    [Fact]
    public void Six_classes_with_the_asked_number_of_videos()
    {
        var data = new SyntheticDataset(seed: 3, videosPerClass: 5, frames: 12, size: 32);
        var train = data.Load(DatasetSubset.Train);
        Assert.Equal(SyntheticClasses.Names, train.ClassNames);
        Assert.Equal(30, train.Count);
        Assert.All(train.CountPerClass(), n => Assert.Equal(5, n));
        Assert.All(train.Videos, v => Assert.Equal(12, v.FrameCount));
        var clip = data.Read(train.Videos[0], [0, 11, 11]);
        Assert.Equal((3, 32, 32), (clip.Count, clip.Height, clip.Width));
    }

    [Fact]
    public void Same_seed_same_bytes_and_train_differs_from_test()
    {
        var a = new SyntheticDataset(seed: 1, videosPerClass: 2, frames: 8, size: 32);
        var b = new SyntheticDataset(seed: 1, videosPerClass: 2, frames: 8, size: 32);
        var other = new SyntheticDataset(seed: 2, videosPerClass: 2, frames: 8, size: 32);
        var all = Enumerable.Range(0, 8).ToArray();
        var video = a.Load(DatasetSubset.Train).Videos[3];
        Assert.Equal(a.Read(video, all).Rgb, b.Read(video, all).Rgb);
        Assert.NotEqual(a.Read(video, all).Rgb, other.Read(video, all).Rgb);
        var testVideo = a.Load(DatasetSubset.Test).Videos[3];
        Assert.Equal(video.Label, testVideo.Label);
        Assert.NotEqual(video.Path, testVideo.Path);
        Assert.NotEqual(a.Read(video, all).Rgb, a.Read(testVideo, all).Rgb);
    }

    [Fact]
    public void A_single_frame_cannot_tell_the_slide_classes_apart_but_motion_can()
    {
        // same seed, different slide direction: identical first frame, different later frames
        foreach (int seed in new[] { 0, 17, 12345 })
        {
            var first = SyntheticClasses.MotionOnly.Select(label => SyntheticVideo.Render(label, seed, 6, 32)).ToList();
            for (int k = 1; k < first.Count; k++)
            {
                Assert.True(first[0].Frame(0).SequenceEqual(first[k].Frame(0)), $"seed {seed}: frame 0 of class {k} differs");
                Assert.False(first[0].Frame(5).SequenceEqual(first[k].Frame(5)), $"seed {seed}: frame 5 of class {k} equals class 0");
            }
        }
    }

    [Fact]
    public void Slide_classes_move_in_their_direction()
    {
        const int size = 64;
        foreach (var label in SyntheticClasses.MotionOnly)
            foreach (var seed in new[] { 1, 5, 99 })
            {
                var video = SyntheticVideo.Render(label, seed, frames: 2, size);
                var before = BrightMask(video.Frame(0), size);
                var after = BrightMask(video.Frame(1), size);
                // the shift (with wrap-around) that best maps the square of frame 0 onto frame 1
                var best = (from dir in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) }
                            from k in Enumerable.Range(1, 8)
                            let overlap = Enumerable.Range(0, size * size).Count(p => before[p]
                                && after[((p / size + dir.Item2 * k + size) % size) * size + (p % size + dir.Item1 * k + size) % size])
                            orderby overlap descending
                            select (dir, overlap)).First();
                Assert.Equal(SyntheticClasses.Direction(label), best.dir);
                Assert.Equal(before.Count(b => b), best.overlap); // the whole square moved
            }
    }

    static bool[] BrightMask(ReadOnlySpan<byte> frame, int size)
    {
        var mask = new bool[size * size];
        for (int p = 0; p < mask.Length; p++) mask[p] = frame[p * 3] > 200 && frame[p * 3 + 1] > 200;
        Assert.Contains(true, mask);
        return mask;
    }

    [Fact]
    public void Shape_classes_differ_in_appearance()
    {
        // the disc is red, the cross green, the slide square near white: a single frame tells them apart
        Assert.Equal(0, DominantChannel(SyntheticVideo.Render(4, 9, 1, 48)));
        Assert.Equal(1, DominantChannel(SyntheticVideo.Render(5, 9, 1, 48)));
        Assert.Equal(-1, DominantChannel(SyntheticVideo.Render(0, 9, 1, 48)));
    }

    /// <summary>The channel that is far above the other two in the most pixels (-1: none).</summary>
    static int DominantChannel(FrameStack video)
    {
        var f = video.Frame(0);
        var counts = new int[3];
        for (int p = 0; p < f.Length; p += 3)
            for (int c = 0; c < 3; c++)
                if (f[p + c] > 150 && f[p + (c + 1) % 3] < 90 && f[p + (c + 2) % 3] < 90) counts[c]++;
        int best = Array.IndexOf(counts, counts.Max());
        return counts[best] >= 5 ? best : -1;
    }

    [Fact]
    public void Bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SyntheticDataset(videosPerClass: 0));
        Assert.Throws<ArgumentException>(() => new SyntheticDataset(frames: 0));
        Assert.Throws<ArgumentException>(() => new SyntheticDataset(size: 8));
    }
}
