using ReSpike.Data.Transforms;
using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Data;

/// <summary>Clip transforms: shapes, value ranges, and the same random parameters for every frame of a clip.</summary>
public class TransformTests
{
    /// <summary>A clip [T, 3, H, W] of 0..255 floats whose frames are all the same random image.</summary>
    static Tensor StillClip(int frames, int height, int width, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[height * width * 3];
        rng.NextBytes(bytes);
        var stack = new FrameStack(frames, height, width, Enumerable.Repeat(bytes, frames).SelectMany(b => b).ToArray());
        return ClipTensor.FromFrames(stack);
    }

    static void AllFramesEqual(Tensor clip)
    {
        for (int t = 1; t < clip.shape[0]; t++)
        {
            using var a = clip[0];
            using var b = clip[t];
            TensorAssert.Equal(a, b, $"frame {t} was transformed differently from frame 0");
        }
    }

    [Fact]
    public void Frames_become_float_T_3_H_W_in_channel_order()
    {
        var rgb = new byte[2 * 2 * 3 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)i;
        using var clip = ClipTensor.FromFrames(new FrameStack(2, 2, 3, rgb)); // 2 frames of 3x2 pixels
        Assert.Equal([2L, 3, 2, 3], clip.shape);
        Assert.Equal(ScalarType.Float32, clip.dtype);
        // (t=1, c=2, y=1, x=0) is byte ((1*2 + 1)*3 + 0)*3 + 2
        Assert.Equal(((1 * 2 + 1) * 3 + 0) * 3 + 2, clip[1, 2, 1, 0].item<float>());
    }

    /// <summary>A clip whose frame t is the same random image (values 0..200) plus 7 t: every frame differs, by a constant.</summary>
    static Tensor BrighteningClip(int frames, int height, int width, int seed)
    {
        using var still = StillClip(frames, height, width, seed);
        using var scaled = still * (200f / 255f);
        using var steps = arange(frames, dtype: ScalarType.Float32).mul_(7f).view(frames, 1, 1, 1);
        return scaled + steps;
    }

    [Fact]
    public void Train_pipeline_gives_one_normalised_view_with_the_same_crop_and_flip_for_every_frame()
    {
        var pipeline = ClipPipeline.Train(112);
        Assert.True(pipeline.IsTraining);
        Assert.Equal(1, pipeline.Views);
        using var clip = BrighteningClip(8, 96, 128, seed: 1);
        Tensor? previous = null;
        try
        {
            for (int seed = 0; seed < 10; seed++)
            {
                var view = Assert.Single(pipeline.Apply(clip, new Random(seed)));
                Assert.Equal([8L, 3, 112, 112], view.shape);
                AssertNormalisedRange(view);
                // crop, resize and flip are linear: with one set of parameters for the clip, frame t minus
                // frame 0 is the constant 7 t (normalised) at every pixel; per-frame parameters would break that
                for (int t = 1; t < 8; t++)
                    for (int c = 0; c < 3; c++)
                    {
                        using var diff = view[t, c] - view[0, c];
                        double expected = 7.0 * t / 255 / Normalize.ImageNetStd[c];
                        Assert.InRange(diff.min().item<float>(), expected - 1e-3, expected + 1e-3);
                        Assert.InRange(diff.max().item<float>(), expected - 1e-3, expected + 1e-3);
                    }
                if (previous is not null) TensorAssert.NotEqual(previous, view, $"seeds {seed - 1} and {seed} gave the same view");
                previous?.Dispose();
                previous = view;
            }
        }
        finally
        {
            previous?.Dispose();
        }
    }

    [Fact]
    public void Random_flip_mirrors_about_half_of_the_clips_and_all_frames_of_each()
    {
        using var clip = BrighteningClip(4, 6, 10, seed: 3);
        using var mirrored = clip.flip(-1);
        var flip = new HorizontalFlip();
        int flips = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            using var result = flip.Apply(clip, new Random(seed));
            if (TensorAssert.AreIdentical(result, mirrored)) flips++;
            else TensorAssert.Equal(result, clip, $"seed {seed}: neither the clip nor its mirror");
        }
        Assert.InRange(flips, 70, 130);
    }

    [Fact]
    public void A_train_pipeline_without_flip_gives_the_same_crop_never_mirrored()
    {
        using var clip = BrighteningClip(4, 40, 56, seed: 5);
        var flipping = ClipPipeline.Train(32, minCropScale: 0.5);
        var plain = ClipPipeline.Train(32, minCropScale: 0.5, flip: false);
        int mirrored = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            // same seed: the crop is drawn first, so the two differ at most by the flip
            using var a = flipping.Apply(clip, new Random(seed))[0];
            using var b = plain.Apply(clip, new Random(seed))[0];
            if (TensorAssert.AreIdentical(a, b)) continue;
            using var back = a.flip(-1);
            TensorAssert.Equal(back, b, $"seed {seed}: the no-flip view is not the unflipped crop");
            mirrored++;
        }
        Assert.InRange(mirrored, 30, 70);
    }

    static void AssertNormalisedRange(Tensor view)
    {
        for (int c = 0; c < 3; c++)
        {
            using var channel = view[.., c];
            double lo = (0 - Normalize.ImageNetMean[c]) / Normalize.ImageNetStd[c], hi = (1 - Normalize.ImageNetMean[c]) / Normalize.ImageNetStd[c];
            Assert.InRange(channel.min().item<float>(), lo - 1e-4, hi + 1e-4);
            Assert.InRange(channel.max().item<float>(), lo - 1e-4, hi + 1e-4);
        }
    }

    [Fact]
    public void Normalisation_maps_0_and_255_to_the_imagenet_extremes()
    {
        using var black = zeros(2, 3, 4, 4);
        using var white = full(new long[] { 2, 3, 4, 4 }, 255f);
        using var nb = new Normalize().Apply(black, new Random(0));
        using var nw = new Normalize().Apply(white, new Random(0));
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(-Normalize.ImageNetMean[c] / Normalize.ImageNetStd[c], nb[1, c, 3, 3].item<float>(), 5);
            Assert.Equal((1 - Normalize.ImageNetMean[c]) / Normalize.ImageNetStd[c], nw[0, c, 0, 0].item<float>(), 5);
        }
    }

    [Fact]
    public void Random_resized_crop_parameters_stay_in_the_scale_and_ratio_ranges()
    {
        var crop = new RandomResizedCrop(112);
        var rng = new Random(42);
        double minArea = 1, maxArea = 0;
        for (int i = 0; i < 3000; i++)
        {
            var (top, left, h, w) = crop.Parameters(240, 320, rng);
            Assert.InRange(top, 0, 240 - h);
            Assert.InRange(left, 0, 320 - w);
            double area = (double)h * w / (240 * 320);
            minArea = Math.Min(minArea, area);
            maxArea = Math.Max(maxArea, area);
            // whole-pixel rounding moves the ratio a little beyond [3/4, 4/3] on small crops
            Assert.InRange((double)w / h, 0.75 * 0.97, 4.0 / 3 * 1.03);
            Assert.InRange(area, 0.08 * 0.95, 1.0);
        }
        Assert.InRange(minArea, 0.076, 0.12); // the range is used, down to about 8 %...
        Assert.InRange(maxArea, 0.85, 1.0);   // ...and up to nearly all of the frame
    }

    [Theory]
    [InlineData(10, 1000, 0, 493, 10, 13)]    // far too wide: height kept, width cut to 4/3 of it
    [InlineData(1000, 10, 493, 0, 13, 10)]    // far too tall: width kept, height cut to width / (3/4)
    public void Random_resized_crop_falls_back_to_a_centred_crop_with_an_allowed_ratio(int height, int width, int top, int left, int h, int w)
    {
        // every one of the 10 attempts fails on such shapes; the fallback is deterministic
        var (t, l, hh, ww) = new RandomResizedCrop(16).Parameters(height, width, new Random(0));
        Assert.Equal((top, left, h, w), (t, l, hh, ww));
    }

    [Fact]
    public void Horizontal_flip_mirrors_every_frame_or_none()
    {
        using var clip = arange(2 * 3 * 2 * 4, dtype: ScalarType.Float32).reshape(2, 3, 2, 4);
        using var flipped = new HorizontalFlip(1.0).Apply(clip, new Random(0));
        using var kept = new HorizontalFlip(0.0).Apply(clip, new Random(0));
        TensorAssert.Equal(clip, kept);
        for (int x = 0; x < 4; x++)
        {
            using var a = flipped[.., .., .., x];
            using var b = clip[.., .., .., 3 - x];
            TensorAssert.Equal(a, b);
        }
    }

    [Theory]
    [InlineData(240, 320, 112, 112, 149)]
    [InlineData(320, 240, 112, 149, 112)]
    [InlineData(64, 64, 112, 112, 112)]
    [InlineData(256, 340, 128, 128, 170)]
    public void Resize_sets_the_shorter_side_and_truncates_the_longer(int height, int width, int size, int h, int w)
    {
        using var clip = zeros(2, 3, height, width);
        using var resized = new Resize(size).Apply(clip, new Random(0));
        Assert.Equal([2L, 3, h, w], resized.shape);
    }

    [Fact]
    public void Test_pipeline_centre_crop_and_three_crops_cover_the_longer_side()
    {
        // a horizontal ramp: column x holds x, so each crop's first column tells where it starts
        using var ramp = arange(149, dtype: ScalarType.Float32).expand(4, 3, 112, 149).contiguous();
        var centre = Crops.Center(ramp, 112);
        using (centre)
        {
            Assert.Equal([4L, 3, 112, 112], centre.shape);
            Assert.Equal(18f, centre[0, 0, 0, 0].item<float>()); // round(37 / 2) = 18 (banker's rounding, as torchvision)
        }
        var three = Crops.Three(ramp, 112);
        try
        {
            Assert.Equal(3, three.Length);
            Assert.Equal([0f, 18f, 37f], three.Select(v => v[0, 0, 0, 0].item<float>()));
            Assert.All(three, v => Assert.Equal([4L, 3, 112, 112], v.shape));
        }
        finally
        {
            foreach (var v in three) v.Dispose();
        }
        Assert.Contains("cannot crop 112x112 from a 149x100 clip", Assert.Throws<ArgumentException>(() => Crops.Center(zeros(1, 3, 100, 149), 112)).Message);
    }

    [Fact]
    public void Test_pipeline_gives_one_or_three_deterministic_views()
    {
        using var clip = StillClip(4, 120, 160, seed: 2);
        var one = ClipPipeline.Test(112, crops: 1);
        var three = ClipPipeline.Test(112, crops: 3);
        Assert.False(one.IsTraining);
        Assert.Equal((1, 3), (one.Views, three.Views));
        var a = one.Apply(clip, new Random(1));
        var b = one.Apply(clip, new Random(2));
        var c = three.Apply(clip, new Random(3));
        try
        {
            TensorAssert.Equal(a[0], b[0]); // no randomness at test time
            Assert.Equal(3, c.Length);
            TensorAssert.Equal(a[0], c[1]); // the middle of three crops is the centre crop
            TensorAssert.NotEqual(c[0], c[2]);
            foreach (var v in c)
            {
                Assert.Equal([4L, 3, 112, 112], v.shape);
                AllFramesEqual(v);
                AssertNormalisedRange(v);
            }
        }
        finally
        {
            foreach (var v in a.Concat(b).Concat(c)) v.Dispose();
        }
        Assert.Throws<ArgumentException>(() => ClipPipeline.Test(112, crops: 2));
    }

    // TSN's more_fix_crop grid in units of the (W - w) / 4 and (H - h) / 4 steps: corners, centre, edge centres, quarter points
    static readonly (int X, int Y)[] Grid = [(0, 0), (4, 0), (0, 4), (4, 4), (2, 2), (0, 2), (4, 2), (2, 4), (2, 0), (1, 1), (3, 1), (1, 3), (3, 3)];

    [Fact]
    public void Multiscale_crop_draws_only_the_reference_sizes_and_the_13_grid_offsets()
    {
        var crop = new MultiScaleCrop(224);
        // a 340x256 frame: min side 256 x [1, .875, .75, .66] = 256, 224, 192, 168 (int() truncates 168.96)
        (int W, int H)[] allowed =
        [
            (256, 256), (224, 256), (256, 224), (224, 224), (192, 224),
            (224, 192), (192, 192), (168, 192), (192, 168), (168, 168),
        ];
        var seen = new Dictionary<(int W, int H), HashSet<(int Left, int Top)>>();
        for (int seed = 0; seed < 5000; seed++)
        {
            var (top, left, h, w) = crop.Parameters(256, 340, new Random(seed));
            Assert.Contains((w, h), allowed);
            int stepX = (340 - w) / 4, stepY = (256 - h) / 4;
            Assert.Contains((left, top), Grid.Select(g => (g.X * stepX, g.Y * stepY)));
            if (!seen.TryGetValue((w, h), out var offsets)) seen[(w, h)] = offsets = [];
            offsets.Add((left, top));
        }
        // every allowed size and, for each, every grid offset comes up (no other pair: |i - j| <= 1); a crop of
        // the full height has one row of offsets, so its 13 grid points collapse to 5 distinct ones
        Assert.Equal(allowed.Order(), seen.Keys.Order());
        foreach (var ((w, h), offsets) in seen)
            Assert.Equal(Grid.Select(g => (g.X * ((340 - w) / 4), g.Y * ((256 - h) / 4))).Distinct().Order(), offsets.Order());
        Assert.Equal(13, seen[(224, 224)].Count);
        Assert.Equal(5, seen[(256, 256)].Count);
        // 224x224 from 340x256: steps of 29 and 8 pixels
        Assert.Equal([(0, 0), (116, 0), (0, 32), (116, 32), (58, 16), (0, 16), (116, 16), (58, 32), (58, 0), (29, 8), (87, 8), (29, 24), (87, 24)],
            MultiScaleCrop.Offsets(256, 340, 224, 224));
        // sizes within 3 px of S snap to S: 254 x .875 = 222 becomes 224; 253 x .875 = 221 is 3 away and stays
        Assert.Contains((224, 224), crop.CropSizes(254, 300));
        Assert.DoesNotContain(crop.CropSizes(254, 300), p => p.Width == 222 || p.Height == 222);
        Assert.Contains((221, 221), crop.CropSizes(253, 300));
    }

    [Fact]
    public void Multiscale_crop_resizes_its_region_to_S_with_one_draw_for_the_whole_clip()
    {
        using var clip = StillClip(4, 96, 128, seed: 5);
        var crop = new MultiScaleCrop(64);
        for (int seed = 0; seed < 5; seed++)
        {
            var (top, left, h, w) = crop.Parameters(96, 128, new Random(seed));
            using var region = clip[.., .., top..(top + h), left..(left + w)];
            using var expected = Resize.Bilinear(region, 64, 64);
            using var actual = crop.Apply(clip, new Random(seed));
            Assert.Equal([4L, 3, 64, 64], actual.shape);
            TensorAssert.Equal(expected, actual, $"seed {seed}: crop ({left}, {top}) {w}x{h}");
            AllFramesEqual(actual);
        }
        var pipeline = ClipPipeline.Train(64, crop: TrainCrop.Multiscale);
        var views = pipeline.Apply(clip, new Random(1));
        Assert.Equal([4L, 3, 64, 64], Assert.Single(views).shape);
        AssertNormalisedRange(views[0]);
        views[0].Dispose();
    }

    [Theory]
    [InlineData(224, 256)]
    [InlineData(112, 128)]
    [InlineData(64, 74)]  // 73.14 rounded up
    [InlineData(32, 37)]
    public void Scaled_centre_resizes_the_short_side_to_8_7_of_S_rounded_up(int size, int shortSide)
    {
        Assert.Equal(shortSide, TestCrop.ScaledCentre.ShortSide(size));
        Assert.Equal(size, TestCrop.Centre.ShortSide(size));
    }

    [Fact]
    public void Scaled_centre_test_transform_is_the_centre_S_of_the_8_7_resized_clip()
    {
        // 340x256 is already at short side 256 = 8/7 x 224: the view is its centre 224x224, normalised
        using var clip = StillClip(3, 256, 340, seed: 6);
        var views = ClipPipeline.Test(224, 1, TestCrop.ScaledCentre).Apply(clip, new Random(0));
        var plain = ClipPipeline.Test(224, 1, TestCrop.Centre).Apply(clip, new Random(0));
        try
        {
            var view = Assert.Single(views);
            Assert.Equal([3L, 3, 224, 224], view.shape);
            using var centre = clip[.., .., 16..240, 58..282];
            using var expected = new Normalize().Apply(centre, new Random(0));
            TensorAssert.Equal(expected, view, "the 224 centre of the 256-short-side clip");
            TensorAssert.NotEqual(plain[0], view, "centre resizes to 224 first, so it keeps more of the frame");
        }
        finally
        {
            foreach (var v in views.Concat(plain)) v.Dispose();
        }
        // a larger frame is resized to short side 128 at S = 112 first, then cropped: same shape, all frames alike
        using var big = StillClip(2, 200, 300, seed: 7);
        var small = ClipPipeline.Test(112, 1, TestCrop.ScaledCentre).Apply(big, new Random(0));
        Assert.Equal([2L, 3, 112, 112], small[0].shape);
        using (var resized = new Resize(128).Apply(big, new Random(0)))
        {
            Assert.Equal([2L, 3, 128, 192], resized.shape);
            using var centre = resized[.., .., 8..120, 40..152];
            using var expected = new Normalize().Apply(centre, new Random(0));
            TensorAssert.Equal(expected, small[0], "the 112 centre of the 128-short-side clip");
        }
        small[0].Dispose();
    }
}
