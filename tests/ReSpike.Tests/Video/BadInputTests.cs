// Unix file modes and FIFOs: these tests run where Debian's ffmpeg does.
#pragma warning disable CA1416

using System.Diagnostics;
using ReSpike.Data;
using ReSpike.Data.Cache;
using ReSpike.Data.Loading;
using ReSpike.Tests.IO;
using ReSpike.Video;

namespace ReSpike.Tests.Video;

/// <summary>Bad input never crashes or hangs: every case ends in an error that names the file, within the time limit.</summary>
[Collection(VideoCollection.Name)]
public class BadInputTests(VideoFixtures videos)
{
    /// <summary>Decode must fail with a VideoDecodeException naming the file; returns its reason.</summary>
    static string DecodeFails(string path, DecodeOptions? options = null)
    {
        var error = Assert.Throws<VideoDecodeException>(() => VideoDecoder.Decode(path, options));
        Assert.Equal(path, error.File);
        Assert.Contains(Path.GetFileName(path), error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        return error.Reason;
    }

    /// <summary>Probing must report a failure (not throw) naming the file; returns its reason.</summary>
    static string ProbeFails(string path, TimeSpan? timeout = null)
    {
        var result = ProbeResult.Check(path, timeout);
        Assert.False(result.Ok);
        Assert.Equal(0, result.Frames);
        Assert.Equal(path, result.File);
        Assert.NotNull(result.Error);
        return result.Error!;
    }

    [RequiresFfmpegFact]
    public void Zero_byte_file()
    {
        Assert.Contains("empty (0 bytes)", DecodeFails(videos.Empty));
        Assert.Contains("empty", ProbeFails(videos.Empty));
    }

    [RequiresFfmpegFact]
    public void Truncated_mp4_without_its_index()
    {
        Assert.Contains("moov atom not found", DecodeFails(videos.TruncatedMp4));
        Assert.Contains("moov atom not found", ProbeFails(videos.TruncatedMp4));
    }

    [RequiresFfmpegFact]
    public void Truncated_avi_counts_the_frames_that_decode_not_the_header()
    {
        var result = ProbeResult.Check(videos.TruncatedAvi);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(60, result.HeaderFrames);
        Assert.InRange(result.Frames, 1, 40);
        Assert.Equal(VideoFixtures.FfprobeCountFrames(videos.TruncatedAvi), result.Frames);
        Assert.Equal(result.Frames, VideoDecoder.Decode(videos.TruncatedAvi).Count);
    }

    [RequiresFfmpegFact]
    public void Text_file_named_avi()
    {
        Assert.Contains("Invalid data", DecodeFails(videos.TextAvi));
        Assert.Contains("Invalid data", ProbeFails(videos.TextAvi));
    }

    [RequiresFfmpegFact]
    public void Media_file_without_a_video_stream()
    {
        Assert.Equal("no video stream (is it a video file?)", DecodeFails(videos.AudioOnly));
        Assert.Equal("no video stream (is it a video file?)", ProbeFails(videos.AudioOnly));
    }

    [RequiresFfmpegFact]
    public void Folder_named_avi_without_frames()
    {
        Assert.Contains("no numbered .jpg/.png images", DecodeFails(videos.DirectoryAvi));
        Assert.Contains("no numbered", ProbeFails(videos.DirectoryAvi));
    }

    [RequiresFfmpegFact]
    public void Missing_file()
    {
        var path = videos.Path("no-such-video.mp4");
        Assert.Equal("file not found", DecodeFails(path));
        Assert.Equal("file not found", ProbeFails(path));
    }

    [RequiresFfmpegFact]
    public void Fifo_never_hangs_and_is_reported_by_name()
    {
        // nothing ever writes to the FIFO: opening it would block forever
        var watch = Stopwatch.StartNew();
        DecodeFails(videos.Fifo, new DecodeOptions { Timeout = TimeSpan.FromSeconds(2) });
        ProbeFails(videos.Fifo, TimeSpan.FromSeconds(2));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 10);
    }

    /// <summary>A folder holding fake ffmpeg/ffprobe scripts: ffprobe answers like for a 64x48 video, a stalled tool sleeps.</summary>
    static TempDirectory FakeTools(bool stallProbe, bool stallDecode)
    {
        var dir = new TempDirectory();
        const string json = "{\"streams\":[{\"codec_name\":\"mpeg4\",\"width\":64,\"height\":48,\"avg_frame_rate\":\"25/1\",\"nb_frames\":\"20\"}],\"format\":{}}";
        Script(dir.File("ffprobe"), stallProbe ? "exec sleep 60" : $"echo '{json}'");
        Script(dir.File("ffmpeg"), stallDecode ? "exec sleep 60" : "exit 1");
        return dir;

        static void Script(string path, string body)
        {
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [RequiresFfmpegFact]
    public void A_stalled_decode_is_killed_at_the_timeout()
    {
        using var tools = FakeTools(stallProbe: false, stallDecode: true);
        using var _ = Ffmpeg.OverrideTools(tools.File("ffmpeg"), tools.File("ffprobe"));
        var path = videos.Path(VideoFixtures.Xvid);
        var watch = Stopwatch.StartNew();
        var reason = DecodeFails(path, new DecodeOptions { Timeout = TimeSpan.FromSeconds(2) });
        Assert.Equal("decoding took longer than 2 s and was stopped", reason);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.9, 10);
    }

    [RequiresFfmpegFact]
    public void A_stalled_probe_is_killed_at_the_timeout()
    {
        using var tools = FakeTools(stallProbe: true, stallDecode: false);
        using var _ = Ffmpeg.OverrideTools(tools.File("ffmpeg"), tools.File("ffprobe"));
        var watch = Stopwatch.StartNew();
        var reason = DecodeFails(videos.Path(VideoFixtures.Xvid), new DecodeOptions { Timeout = TimeSpan.FromSeconds(2) });
        Assert.Contains("ffprobe timed out", reason);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.9, 10);
    }

    [RequiresUnreadableFilesFact]
    public void Unreadable_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("locked.avi");
        File.Copy(videos.Path(VideoFixtures.Xvid), path);
        File.SetUnixFileMode(path, UnixFileMode.None);
        try
        {
            Assert.Contains("Permission denied", DecodeFails(path));
            Assert.Contains("Permission denied", ProbeFails(path));
        }
        finally
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void Missing_ffmpeg_is_one_message_saying_how_to_install_it()
    {
        using var _ = Ffmpeg.OverrideTools(null, null);
        Assert.False(Ffmpeg.IsAvailable);
        var probe = Assert.Throws<FfmpegNotFoundException>(() => Ffmpeg.FfprobeExecutable);
        Assert.StartsWith("ffprobe was not found", probe.Message);
        Assert.Contains("apt-get install ffmpeg", probe.Message);
        var decode = Assert.Throws<FfmpegNotFoundException>(() => Ffmpeg.FfmpegExecutable);
        Assert.StartsWith("ffmpeg was not found", decode.Message);
        Assert.Contains("apt-get install ffmpeg", decode.Message);
        Assert.Contains("apt-get install ffmpeg", Assert.Throws<FfmpegNotFoundException>(Ffmpeg.EnsureAvailable).Message);

        // a real file, so the failure is the tool and not the input; a library call surfaces it as is
        using var dir = new TempDirectory();
        var video = dir.File("clip.avi");
        File.WriteAllBytes(video, [1, 2, 3]);
        Assert.Contains("apt-get install ffmpeg", Assert.Throws<FfmpegNotFoundException>(() => VideoDecoder.Decode(video)).Message);
        Assert.Throws<FfmpegNotFoundException>(() => ProbeResult.Check(video));
    }

    [Fact]
    public void Missing_ffmpeg_in_a_parallel_pass_over_a_dataset_is_still_one_message()
    {
        using var dir = new TempDirectory();
        var entries = Enumerable.Range(0, 6).Select(i =>
        {
            var path = dir.File($"v{i}.avi");
            File.WriteAllBytes(path, [1, 2, 3]);
            return new VideoEntry(path, 0);
        }).ToList();
        var dataset = new VideoDataset("six", ["a"], entries);
        using var _ = Ffmpeg.OverrideTools(null, null);
        // not an AggregateException holding six copies
        var index = Assert.Throws<FfmpegNotFoundException>(() => IndexedDataset.Build(dataset, new DecodingFrameReader(DecodeOptions.Default), parallelism: 2));
        Assert.Contains("apt-get install ffmpeg", index.Message);
        var cache = new FrameCache(dir.File("cache"), new DecodeOptions { ShortSide = 32 });
        var prepare = Assert.Throws<FfmpegNotFoundException>(() => CachePreparer.Prepare(cache, entries, parallelism: 2));
        Assert.Contains("apt-get install ffmpeg", prepare.Message);
        Assert.Empty(Directory.GetFiles(cache.Root)); // a missing tool is not recorded as a broken video
    }
}
