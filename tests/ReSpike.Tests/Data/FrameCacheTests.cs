using System.Buffers.Binary;
using ReSpike.Data;
using ReSpike.Data.Cache;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using ReSpike.Video;

namespace ReSpike.Tests.Data;

/// <summary>The frame cache: cached clip == freshly decoded clip, keyed to file and settings, atomic, resumable, corrupt entries detected.</summary>
[Collection(VideoCollection.Name)]
public class FrameCacheTests(VideoFixtures videos)
{
    static readonly DecodeOptions Small = new() { ShortSide = 32 };

    public static TheoryData<string, bool> RoundTripCases => new()
    {
        { VideoFixtures.Xvid.Name, true }, { VideoFixtures.H264Aac.Name, true }, { VideoFixtures.Mjpeg.Name, false },
        { VideoFixtures.Ntsc.Name, true }, { VideoFixtures.Frames.Name, true }, { VideoFixtures.Long.Name, false },
    };

    [RequiresFfmpegTheory]
    [MemberData(nameof(RoundTripCases))]
    public void Cached_clip_equals_the_freshly_decoded_clip(string name, bool compress)
    {
        using var dir = new TempDirectory();
        var cache = new FrameCache(dir.Path, Small, compress);
        var video = new VideoEntry(videos.Path(name), 0);
        var fresh = VideoDecoder.Decode(video.Path, Small);
        Assert.Equal(fresh.Count, cache.FrameCount(video));
        Assert.True(cache.Contains(video));
        int n = fresh.Count;
        foreach (var indices in new[] { Enumerable.Range(0, n).ToArray(), [n - 1, 0, n / 2, 0, n - 1], [1, 2, 0, 1, 2, 0, 1] })
        {
            var cached = cache.Read(video, indices);
            var expected = fresh.Select(indices);
            Assert.Equal((expected.Count, expected.Height, expected.Width), (cached.Count, cached.Height, cached.Width));
            Assert.True(expected.Rgb.AsSpan().SequenceEqual(cached.Rgb), $"{name}: cached frames differ from decoded frames");
        }
        var header = FrameCacheFile.ReadHeader(cache.EntryPath(video));
        Assert.Equal((n, fresh.Height, fresh.Width, compress ? FrameCacheFile.Deflate : FrameCacheFile.Raw),
            (header.Frames, header.Height, header.Width, header.Compression));
        Assert.Equal([Path.GetFileName(cache.EntryPath(video))], dir.FileNames()); // nothing else left behind
    }

    [Fact]
    public void Cache_file_round_trips_without_ffmpeg()
    {
        using var dir = new TempDirectory();
        var rgb = new byte[5 * 4 * 6 * 3];
        new Random(1).NextBytes(rgb);
        var frames = new FrameStack(5, 4, 6, rgb);
        foreach (var compress in new[] { true, false })
        {
            var path = dir.File($"x{compress}.rsfc");
            FrameCacheFile.Write(path, frames, compress);
            var back = FrameCacheFile.Read(path, [4, 0, 4, 2]);
            Assert.Equal(frames.Select([4, 0, 4, 2]).Rgb, back.Rgb);
            Assert.Throws<ArgumentOutOfRangeException>(() => FrameCacheFile.Read(path, [5]));
        }
    }

    [RequiresFfmpegFact]
    public void Key_changes_with_the_file_its_time_its_size_and_the_settings()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v.avi");
        File.Copy(videos.Path(VideoFixtures.Xvid), path);
        var cache = new FrameCache(dir.File("cache"), Small);
        var key = cache.Key(path);
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.Equal(key, new FrameCache(dir.File("cache"), Small with { Timeout = TimeSpan.FromSeconds(9) }).Key(path));
        Assert.NotEqual(key, new FrameCache(dir.File("cache"), new DecodeOptions { ShortSide = 64 }).Key(path));
        Assert.NotEqual(key, new FrameCache(dir.File("cache"), Small with { FramesPerSecond = 10 }).Key(path));
        Assert.NotEqual(key, new FrameCache(dir.File("cache"), Small, compress: true).Key(path));
        var copy = dir.File("w.avi");
        File.Copy(path, copy);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(path));
        Assert.NotEqual(key, cache.Key(copy)); // another path
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(-10));
        var touched = cache.Key(path);
        Assert.NotEqual(key, touched);
        var time = File.GetLastWriteTimeUtc(path);
        File.AppendAllText(path, "x");
        File.SetLastWriteTimeUtc(path, time);
        Assert.NotEqual(touched, cache.Key(path)); // same time, other size
        Assert.Equal("file not found", Assert.Throws<VideoDecodeException>(() => cache.Key(dir.File("gone.avi"))).Reason);
    }

    [RequiresFfmpegFact]
    public void A_changed_source_is_a_miss_never_a_stale_hit()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v.avi");
        File.Copy(videos.Path(VideoFixtures.Xvid), path);
        var cache = new FrameCache(dir.File("cache"), Small);
        var video = new VideoEntry(path, 0);
        Assert.Equal(20, cache.FrameCount(video));
        File.Copy(videos.Path(VideoFixtures.Mjpeg), path, overwrite: true); // 12 frames now
        Assert.False(cache.Contains(video));
        Assert.Equal(12, cache.FrameCount(video));
    }

    /// <summary>A dataset of good fixtures and broken files, for prepare.</summary>
    List<VideoEntry> Mixed(out string[] broken)
    {
        broken = [videos.Empty, videos.TextAvi, videos.TruncatedMp4];
        return new[] { videos.Path(VideoFixtures.Xvid), videos.Empty, videos.Path(VideoFixtures.H264Aac), videos.TextAvi,
                videos.Path(VideoFixtures.Frames), videos.TruncatedMp4, videos.Path(VideoFixtures.Short) }
            .Select(p => new VideoEntry(p, 0)).ToList();
    }

    [RequiresFfmpegFact]
    public void Prepare_decodes_once_reports_broken_videos_and_resumes()
    {
        using var dir = new TempDirectory();
        var cache = new FrameCache(dir.Path, Small);
        var entries = Mixed(out var broken);
        // leftovers of an interrupted run (AtomicFile's temp names) are removed
        File.WriteAllText(dir.File(".0123.rsfc.999.abc.tmp"), "half");
        var progress = new List<int>();
        var first = CachePreparer.Prepare(cache, entries, parallelism: 2, progress: (done, total) => { lock (progress) progress.Add(done); });
        Assert.Equal((7, 4, 0), (first.Videos, first.Decoded, first.Reused));
        Assert.Equal(broken, first.Failed.Select(f => f.Path));
        Assert.Contains("empty", first.Failed[0].Reason);
        Assert.Contains("Invalid data", first.Failed[1].Reason);
        Assert.Equal(Enumerable.Range(1, 7), progress.Order());
        Assert.DoesNotContain(dir.FileNames(), f => f.EndsWith(".tmp"));
        Assert.Equal(4, dir.FileNames().Count(f => f.EndsWith(".rsfc")));
        Assert.Equal(3, dir.FileNames().Count(f => f.EndsWith(".failed")));
        Assert.Equal(dir.FileNames().Where(f => f.EndsWith(".rsfc")).Sum(f => new FileInfo(dir.File(f)).Length), first.CacheBytes);

        var again = CachePreparer.Prepare(cache, entries, parallelism: 2);
        Assert.Equal((0, 4), (again.Decoded, again.Reused));
        Assert.Equal(first.Failed, again.Failed); // reported again, from the notes, without decoding
        Assert.Equal(first.Failed[1].Reason, cache.RecordedFailure(entries[3]));
    }

    [RequiresFfmpegFact]
    public void A_repaired_file_is_decoded_again()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v.avi");
        File.WriteAllText(path, "not yet a video");
        var cache = new FrameCache(dir.File("cache"), Small);
        var video = new VideoEntry(path, 0);
        Assert.Throws<VideoDecodeException>(() => cache.Ensure(video));
        Assert.Contains("Invalid data", cache.RecordedFailure(video));
        File.Copy(videos.Path(VideoFixtures.Xvid), path, overwrite: true);
        Assert.Null(cache.RecordedFailure(video));
        Assert.True(cache.Ensure(video));
        Assert.False(cache.Ensure(video));
    }

    [RequiresFfmpegFact]
    public void A_cancelled_prepare_leaves_only_whole_entries()
    {
        using var dir = new TempDirectory();
        var cache = new FrameCache(dir.Path, Small);
        var entries = new[] { VideoFixtures.Long, VideoFixtures.Xvid, VideoFixtures.H264Aac, VideoFixtures.Mjpeg, VideoFixtures.Ntsc }
            .Select(c => new VideoEntry(videos.Path(c), 0)).ToList();
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            CachePreparer.Prepare(cache, entries, parallelism: 1, progress: (done, _) => { if (done == 2) cancel.Cancel(); }, cancel: cancel.Token));
        var names = dir.FileNames();
        Assert.DoesNotContain(names, f => f.EndsWith(".tmp"));
        Assert.InRange(names.Length, 2, 4);
        foreach (var f in names) Assert.True(FrameCacheFile.ReadHeader(dir.File(f)).Frames > 0);
        var resumed = CachePreparer.Prepare(cache, entries);
        Assert.Equal(5, resumed.Decoded + resumed.Reused);
        Assert.Equal(names.Length, resumed.Reused);
    }

    /// <summary>A cache entry whose bytes were damaged after writing: the error names the entry and says what to do.</summary>
    static string CorruptEntry(Action<byte[]> damage, Func<byte[], byte[]>? cut = null)
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.rsfc");
        var rgb = new byte[6 * 8 * 8 * 3];
        new Random(3).NextBytes(rgb);
        FrameCacheFile.Write(path, new FrameStack(6, 8, 8, rgb));
        var bytes = File.ReadAllBytes(path);
        damage(bytes);
        File.WriteAllBytes(path, cut is null ? bytes : cut(bytes));
        var error = Assert.Throws<InvalidDataException>(() => FrameCacheFile.Read(path, [0, 5]));
        Assert.Contains(path, error.Message);
        Assert.Contains("delete it and run 'respike prepare' again", error.Message);
        return error.Message;
    }

    [Fact]
    public void Truncated_entry() => Assert.Contains("its table says", CorruptEntry(_ => { }, b => b[..(b.Length / 2)]));

    [Fact]
    public void Bad_magic() => Assert.Contains("bad magic", CorruptEntry(b => b[0] = (byte)'X'));

    [Fact]
    public void Huge_frame_count_in_the_header_is_refused_before_allocating() =>
        Assert.Contains("too short for the offset table of 2147483647 frames", CorruptEntry(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), int.MaxValue)));

    [Fact]
    public void Offsets_that_go_backwards_are_refused() =>
        Assert.Contains("corrupt frame-cache offset table at frame 3", CorruptEntry(b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(24 + 8 * 3), -5)));
}
