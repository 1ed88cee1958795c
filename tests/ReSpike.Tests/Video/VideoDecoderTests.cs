using ReSpike.Video;

namespace ReSpike.Tests.Video;

/// <summary>Decoding good files of several codecs/containers: frame counts, sizes, pixels, resize and fps resampling.</summary>
[Collection(VideoCollection.Name)]
public class VideoDecoderTests(VideoFixtures videos)
{
    public static TheoryData<string> GoodClips => new(VideoFixtures.Good.Select(c => c.Name));

    static VideoFixtures.Clip Find(string name) => VideoFixtures.Good.Single(c => c.Name == name);

    [RequiresFfmpegTheory]
    [MemberData(nameof(GoodClips))]
    public void Every_fixture_decodes_to_its_frame_count_and_size(string name)
    {
        var clip = Find(name);
        var frames = VideoDecoder.Decode(videos.Path(clip));
        Assert.Equal((clip.Frames, clip.Height, clip.Width), (frames.Count, frames.Height, frames.Width));
        Assert.Equal((long)clip.Frames * clip.Height * clip.Width * 3, frames.Rgb.LongLength);
    }

    [RequiresFfmpegTheory]
    [MemberData(nameof(GoodClips))]
    public void Probe_reports_the_frames_ffprobe_counts_and_the_header_facts(string name)
    {
        var clip = Find(name);
        var path = videos.Path(clip);
        var result = ProbeResult.Check(path);
        Assert.True(result.Ok, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(clip.Frames, result.Frames);
        if (clip != VideoFixtures.Frames) Assert.Equal(VideoFixtures.FfprobeCountFrames(path), result.Frames);
        Assert.Equal((clip.Width, clip.Height, clip.Codec), (result.Width, result.Height, result.Codec));
        if (clip.Rate is null) return;
        var info = VideoProbe.Inspect(path);
        Assert.Equal(clip.Rate, info.FrameRateText);
        Assert.Equal(VideoProbe.ParseRate(clip.Rate), result.Fps, 6);
    }

    [RequiresFfmpegFact]
    public void An_odd_frame_rate_is_read_exactly()
    {
        var info = VideoProbe.Inspect(videos.Path(VideoFixtures.Ntsc));
        Assert.Equal(30000.0 / 1001, info.FramesPerSecond, 9);
        Assert.Equal(29.97, Math.Round(info.FramesPerSecond, 2));
    }

    [RequiresFfmpegFact]
    public void Variable_frame_rate_keeps_every_decoded_frame_and_duplicates_none()
    {
        // ffmpeg's default constant-rate output would fill the gaps with 38 duplicated frames (58 in all)
        var frames = VideoDecoder.Decode(videos.Path(VideoFixtures.Vfr));
        Assert.Equal(20, frames.Count);
        for (int t = 1; t < frames.Count; t++)
            Assert.False(frames.Frame(t).SequenceEqual(frames.Frame(t - 1)), $"frame {t} repeats frame {t - 1}");
    }

    [RequiresFfmpegFact]
    public void A_rotated_video_decodes_upright_at_its_displayed_size_not_squashed()
    {
        var info = VideoProbe.Inspect(videos.Path(VideoFixtures.Rotated));
        Assert.Equal((48, 64), (info.Width, info.Height));
        var plain = VideoDecoder.Decode(videos.Path(VideoFixtures.Ntsc), new DecodeOptions { MaxFrames = 1 });
        var turned = VideoDecoder.Decode(videos.Path(VideoFixtures.Rotated), new DecodeOptions { MaxFrames = 1 });
        Assert.Equal((48, 64), (turned.Width, turned.Height));
        // the turned frame is the plain frame rotated a quarter turn (one way or the other), pixel for pixel up to chroma rounding
        double Difference(bool clockwise)
        {
            long sum = 0;
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 48; x++)
                {
                    var (py, px) = clockwise ? (47 - x, y) : (x, 63 - y);
                    for (int c = 0; c < 3; c++) sum += Math.Abs(turned.Rgb[(y * 48 + x) * 3 + c] - plain.Rgb[(py * 64 + px) * 3 + c]);
                }
            return sum / (64.0 * 48 * 3);
        }
        Assert.InRange(Math.Min(Difference(true), Difference(false)), 0, 4);
    }

    [RequiresFfmpegFact]
    public void Audio_tracks_are_ignored()
    {
        var result = ProbeResult.Check(videos.Path(VideoFixtures.H264Aac));
        Assert.Equal(("h264", 25), (result.Codec, result.Frames));
    }

    [RequiresFfmpegFact]
    public void Pixels_come_out_as_rgb_in_frame_row_column_channel_order()
    {
        // a pure red video: channel 0 high, 1 and 2 low, everywhere (yuv420p rounding leaves a few levels)
        var frames = VideoDecoder.Decode(videos.Path(VideoFixtures.Red));
        Assert.Equal((VideoFixtures.Red.Frames, VideoFixtures.Red.Width, VideoFixtures.Red.Height), (frames.Count, frames.Width, frames.Height));
        for (int t = 0; t < frames.Count; t++)
        {
            var f = frames.Frame(t);
            for (int p = 0; p < f.Length; p += 3)
            {
                Assert.InRange(f[p], 240, 255);
                Assert.InRange(f[p + 1], 0, 15);
                Assert.InRange(f[p + 2], 0, 15);
            }
        }
    }

    [RequiresFfmpegFact]
    public void Successive_frames_of_a_moving_pattern_differ()
    {
        var frames = VideoDecoder.Decode(videos.Path(VideoFixtures.Xvid));
        Assert.Equal(VideoFixtures.Xvid.Frames, frames.Count);   // 20: the count below then covers 19 pairs
        int changed = 0;
        for (int t = 1; t < frames.Count; t++) if (!frames.Frame(t).SequenceEqual(frames.Frame(t - 1))) changed++;
        Assert.Equal(frames.Count - 1, changed);
    }

    [RequiresFfmpegTheory]
    [InlineData("xvid.avi", 24, 32, 24)]      // landscape 64x48 -> shorter side 24
    [InlineData("portrait.avi", 24, 24, 32)]  // portrait 48x64 -> width 24
    [InlineData("long.avi", 36, 48, 36)]      // 128x96 -> 48x36
    [InlineData("xvid.avi", 48, 64, 48)]      // already at the target: unchanged
    [InlineData("xvid.avi", 100, 64, 48)]     // never upscaled
    [InlineData("frames", 24, 32, 24)]        // frames folders resize too
    public void Short_side_resize_keeps_the_aspect_ratio_and_never_upscales(string name, int shortSide, int width, int height)
    {
        var clip = Find(name);
        var frames = VideoDecoder.Decode(videos.Path(clip), new DecodeOptions { ShortSide = shortSide });
        Assert.Equal((clip.Frames, width, height), (frames.Count, frames.Width, frames.Height));
    }

    [Theory]
    [InlineData(320, 240, 128, 171, 128)]
    [InlineData(240, 320, 128, 128, 171)]
    [InlineData(1920, 1080, 128, 228, 128)]
    [InlineData(560, 240, 112, 261, 112)]
    [InlineData(64, 64, 128, 64, 64)]
    [InlineData(341, 256, null, 341, 256)]
    public void Output_size_rounds_the_longer_side(int width, int height, int? shortSide, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), VideoDecoder.OutputSize(width, height, shortSide));

    [RequiresFfmpegFact]
    public void Fps_resampling_changes_the_frame_count_by_the_rate_ratio()
    {
        // 25 frames at 25 fps = 1 s: 10 fps gives 10 frames, 50 fps about 50
        var path = videos.Path(VideoFixtures.H264Aac);
        var slow = VideoDecoder.Decode(path, new DecodeOptions { FramesPerSecond = 10 });
        Assert.InRange(slow.Count, 9, 11);
        var fast = VideoDecoder.Decode(path, new DecodeOptions { FramesPerSecond = 50 });
        Assert.InRange(fast.Count, 48, 51);
        // counting with the same options agrees with what decoding returns
        Assert.Equal(slow.Count, VideoDecoder.CountFrames(path, new DecodeOptions { FramesPerSecond = 10 }));
        Assert.Equal(fast.Count, VideoDecoder.CountFrames(path, new DecodeOptions { FramesPerSecond = 50, ShortSide = 16 }));
    }

    [RequiresFfmpegFact]
    public void Max_frames_stops_early_and_keeps_the_first_frames()
    {
        var path = videos.Path(VideoFixtures.Long);
        var all = VideoDecoder.Decode(path);
        var first = VideoDecoder.Decode(path, new DecodeOptions { MaxFrames = 7 });
        Assert.Equal(7, first.Count);
        Assert.True(first.Rgb.AsSpan().SequenceEqual(all.Rgb.AsSpan(0, 7 * all.FrameBytes)));
        Assert.Equal(7, VideoDecoder.CountFrames(path, new DecodeOptions { MaxFrames = 7 }));
    }

    [RequiresFfmpegFact]
    public void A_frames_folder_decodes_as_a_video_from_its_numbered_images()
    {
        var folder = videos.Path(VideoFixtures.Frames);
        var (pattern, start) = VideoInput.FramesPattern(folder);
        Assert.Equal((Path.Combine(folder, "img_%05d.jpg"), 1), (pattern, start));
        Assert.Equal(10, VideoDecoder.CountFrames(folder));
        Assert.Equal(VideoInput.FramesFolderRate, VideoProbe.Inspect(folder).FramesPerSecond);
    }

    [Fact]
    public void Frames_pattern_finds_the_first_number_and_padding_of_any_prefix()
    {
        using var dir = new IO.TempDirectory();
        foreach (var n in new[] { 0, 1, 2 }) File.WriteAllBytes(dir.File($"frame-{n:0000}.png"), []);
        File.WriteAllText(dir.File("notes.txt"), "");
        var (pattern, start) = VideoInput.FramesPattern(dir.Path);
        Assert.Equal((Path.Combine(dir.Path, "frame-%04d.png"), 0), (pattern, start));
    }

    [Fact]
    public void Frame_rates_parse_from_ffprobe_fractions()
    {
        Assert.Equal(29.97002997, VideoProbe.ParseRate("30000/1001"), 6);
        Assert.Equal(23.976, VideoProbe.ParseRate("2997/125"), 6);
        Assert.Equal(0, VideoProbe.ParseRate("0/0"));
        Assert.Equal(25, VideoProbe.ParseRate("25"));
    }

    [Fact]
    public void Decode_options_are_validated_and_keyed_by_what_changes_the_frames()
    {
        Assert.Throws<ArgumentException>(() => new DecodeOptions { ShortSide = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new DecodeOptions { FramesPerSecond = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new DecodeOptions { FramesPerSecond = double.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new DecodeOptions { MaxFrames = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new DecodeOptions { Timeout = TimeSpan.Zero }.Validate());
        var a = new DecodeOptions { ShortSide = 128 };
        Assert.Equal("short=128;fps=native;max=all", a.CacheKey());
        Assert.Equal(a.CacheKey(), (a with { Timeout = TimeSpan.FromSeconds(5) }).CacheKey()); // the time limit does not change frames
        Assert.NotEqual(a.CacheKey(), (a with { ShortSide = 112 }).CacheKey());
        Assert.NotEqual(a.CacheKey(), (a with { FramesPerSecond = 15 }).CacheKey());
        Assert.NotEqual(a.CacheKey(), (a with { MaxFrames = 32 }).CacheKey());
    }

    [Fact]
    public void Frame_stack_checks_its_shape_and_selects_with_repeats()
    {
        Assert.Throws<ArgumentException>(() => new FrameStack(2, 2, 2, new byte[23]));
        var rgb = Enumerable.Range(0, 3 * 12).Select(i => (byte)i).ToArray(); // 3 frames of 2x2
        var stack = new FrameStack(3, 2, 2, rgb);
        var picked = stack.Select([2, 0, 2]);
        Assert.Equal(3, picked.Count);
        Assert.Equal(rgb[24..36], picked.Frame(0).ToArray());
        Assert.Equal(rgb[0..12], picked.Frame(1).ToArray());
        Assert.Equal(rgb[24..36], picked.Frame(2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => stack.Frame(3));
    }
}
