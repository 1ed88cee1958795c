using ReSpike.Data;
using ReSpike.Data.Cache;
using ReSpike.Data.Formats;
using ReSpike.Data.Loading;
using ReSpike.Data.Sampling;
using ReSpike.Data.Synthetic;
using ReSpike.Data.Transforms;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using ReSpike.Video;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Data;

/// <summary>Indexing (broken videos skipped and reported) and the parallel clip loader over the frame cache.</summary>
[Collection(VideoCollection.Name)]
public class ClipLoaderTests(VideoFixtures videos)
{
    static readonly DecodeOptions Small = new() { ShortSide = 32 };

    /// <summary>UCF-101 layout over the fixtures: A = xvid (20 frames), long (60); B = h264 (25), short (3), a text file named .avi.</summary>
    TempDirectory Ucf()
    {
        var dir = new TempDirectory();
        void Link(string target, string relative)
        {
            var path = Path.Combine(dir.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.CreateSymbolicLink(path, target);
        }
        Link(videos.Path(VideoFixtures.Xvid), "A/v_A_g01_c01.avi");
        Link(videos.Path(VideoFixtures.Long), "A/v_A_g02_c01.avi");
        Link(videos.Path(VideoFixtures.H264Aac), "B/v_B_g01_c01.mp4");
        Link(videos.Path(VideoFixtures.Short), "B/v_B_g02_c01.avi");
        Link(videos.TextAvi, "B/v_B_g03_c01.avi");
        WriteCrlf(dir.Path, "classInd.txt", "1 A", "2 B");
        WriteCrlf(dir.Path, "trainlist01.txt", "A/v_A_g01_c01.avi 1", "A/v_A_g02_c01.avi 1", "B/v_B_g01_c01.mp4 2", "B/v_B_g02_c01.avi 2", "B/v_B_g03_c01.avi 2");
        return dir;
    }

    IndexedDataset Index(TempDirectory dir)
    {
        var spec = new DatasetSpec { Kind = DatasetKind.Ucf101, Root = dir.Path, CacheDirectory = dir.File("cache"), Decode = Small };
        var (dataset, reader) = spec.Open(DatasetSubset.Train);
        Assert.IsType<FrameCache>(reader);
        return IndexedDataset.Build(dataset, reader, parallelism: 2);
    }

    [RequiresFfmpegFact]
    public void Indexing_counts_decoded_frames_and_skips_broken_videos_with_the_reason()
    {
        using var dir = Ucf();
        var index = Index(dir);
        Assert.Equal([20, 60, 25, 3, 0], index.FrameCounts);
        Assert.Equal(4, index.UsableVideos);
        var skipped = Assert.Single(index.Skipped);
        Assert.EndsWith("v_B_g03_c01.avi", skipped.Path);
        Assert.Contains("Invalid data", skipped.Reason);
    }

    [RequiresFfmpegFact]
    public void Batches_are_B_T_3_S_S_with_every_clip_of_the_epoch_and_its_label()
    {
        using var dir = Ucf();
        var index = Index(dir);
        var loader = new ClipLoader(index, new ConsecutiveClipSampler(8), ClipPipeline.Train(32), new LoaderOptions { BatchSize = 4, Shuffle = true, Seed = 1 });
        // 20 -> 2 clips, 60 -> 7, 25 -> 3, 3 -> 1 (looped), broken -> none
        var clips = loader.Clips(0);
        Assert.Equal(13, clips.Count);
        Assert.Equal([2, 7, 3, 1], clips.GroupBy(c => c.Video).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1], clips.Single(c => c.Video == 3).Frames);
        Assert.Equal(4, loader.BatchCount(0));
        var seen = new List<ClipRef>();
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                Assert.Equal([(long)batch.Count, 8, 3, 32, 32], batch.Clips.shape);
                Assert.Equal(batch.Refs.Select(r => (long)index.Dataset.Videos[r.Video].Label), batch.Labels.data<long>().ToArray());
                Assert.Equal(0, batch.Skipped);
                seen.AddRange(batch.Refs);
            }
        Assert.Equal([4, 4, 4, 1], seen.Chunk(4).Select(c => c.Length));
        Assert.Equal(clips.Select(c => (c.Video, c.Clip)), seen.Select(c => (c.Video, c.Clip)));
        Assert.Empty(loader.ReadFailures);
        Assert.Equal(0, loader.SkippedClips);
    }

    [RequiresFfmpegFact]
    public void Same_seed_gives_the_same_batches_whatever_the_prefetch_and_epochs_differ()
    {
        using var dir = Ucf();
        var index = Index(dir);
        ClipLoader Loader(int prefetch) => new(index, new SegmentSampler(8, randomOffsets: true), ClipPipeline.Train(32),
            new LoaderOptions { BatchSize = 3, Shuffle = true, Seed = 7, Prefetch = prefetch });
        var a = Loader(1).Epoch(0).ToList();
        var b = Loader(3).Epoch(0).ToList();
        var next = Loader(2).Epoch(1).ToList();
        try
        {
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                TensorAssert.Equal(a[i].Clips, b[i].Clips, $"batch {i} differs between prefetch 1 and 3");
                Assert.Equal(a[i].Refs.Select(r => r.Frames), b[i].Refs.Select(r => r.Frames));
            }
            Assert.False(a.Zip(next).All(p => p.First.Refs.Select(r => r.Video).SequenceEqual(p.Second.Refs.Select(r => r.Video))
                                              && p.First.Refs.Select(r => r.Frames).SequenceEqual(p.Second.Refs.Select(r => r.Frames), new ArrayEq())),
                "epoch 1 repeats epoch 0's order and frames");
        }
        finally
        {
            foreach (var batch in a.Concat(b).Concat(next)) batch.Dispose();
        }
    }

    sealed class ArrayEq : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(int[] obj) => obj.Length;
    }

    [RequiresFfmpegFact]
    public void Loaded_test_clips_equal_the_pipeline_over_freshly_decoded_frames()
    {
        using var dir = Ucf();
        var index = Index(dir);
        var pipeline = ClipPipeline.Test(32, crops: 3);
        var loader = new ClipLoader(index, new UniformClipSampler(8, 2), pipeline, new LoaderOptions { BatchSize = 2 });
        int rows = 0;
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                Assert.Equal(3, batch.Views);
                Assert.Equal([(long)batch.Count * 3, 8, 3, 32, 32], batch.Clips.shape);
                for (int i = 0; i < batch.Count; i++)
                {
                    var r = batch.Refs[i];
                    var fresh = VideoDecoder.Decode(index.Dataset.Videos[r.Video].Path, Small).Select(r.Frames);
                    using var raw = ClipTensor.FromFrames(fresh);
                    var views = pipeline.Apply(raw, new Random(0));
                    for (int v = 0; v < 3; v++)
                    {
                        using var row = batch.Clips[i * 3 + v];
                        TensorAssert.Equal(views[v], row, $"video {r.Video} clip {r.Clip} view {v}");
                        views[v].Dispose();
                    }
                    rows++;
                }
            }
        Assert.Equal(2 + 2 + 2 + 1, rows); // two uniform clips per video, one for the looped 3-frame video
    }

    [RequiresFfmpegFact]
    public void A_video_that_breaks_after_indexing_is_dropped_and_counted_not_fatal()
    {
        using var dir = Ucf();
        var index = Index(dir);
        var cache = (FrameCache)index.Reader;
        var longVideo = index.Dataset.Videos[1];
        var entry = cache.EntryPath(longVideo);
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..100]); // damaged on disk
        var loader = new ClipLoader(index, new ConsecutiveClipSampler(8), ClipPipeline.Test(32), new LoaderOptions { BatchSize = 4, DropLast = true });
        var batches = loader.Epoch(0).ToList();
        try
        {
            // clips 2..8 of the epoch are the damaged video's 7: batch [4..7] lost all four and is not served
            Assert.Equal(7, loader.SkippedClips);
            Assert.Equal([2, 3], batches.Select(b => b.Count));
            Assert.Equal([2, 1], batches.Select(b => b.Skipped));
            Assert.Equal(13 - 1 - 7, batches.Sum(b => b.Count)); // DropLast leaves out the 13th clip
            Assert.DoesNotContain(batches.SelectMany(b => b.Refs), r => r.Video == 1);
            var failure = Assert.Single(loader.ReadFailures);
            Assert.Equal(longVideo.Path, failure.Key);
            Assert.Contains("delete it", failure.Value);
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }

    [RequiresFfmpegFact]
    public void Decoding_reader_counts_frames_with_its_fps_so_clips_stay_inside_the_video()
    {
        // 25 frames at 25 fps resampled to 10 fps: 10 frames; counting the native 25 would sample frames 10..23 that do not exist
        var options = new DecodeOptions { ShortSide = 32, FramesPerSecond = 10 };
        var reader = new DecodingFrameReader(options);
        var video = new VideoEntry(videos.Path(VideoFixtures.H264Aac), 0);
        int frames = reader.FrameCount(video);
        Assert.Equal(VideoDecoder.Decode(video.Path, options).Count, frames);
        Assert.InRange(frames, 9, 11);
        var index = IndexedDataset.Build(new VideoDataset("one", ["a"], [video]), reader);
        var loader = new ClipLoader(index, new ConsecutiveClipSampler(8), ClipPipeline.Test(32), new LoaderOptions { BatchSize = 8 });
        var batch = Assert.Single(loader.Epoch(0));
        using (batch)
        {
            Assert.Equal(1, batch.Count);
            Assert.Empty(loader.ReadFailures);
        }
    }

    [RequiresFfmpegFact]
    public void A_rawframes_count_larger_than_the_folder_drops_the_clip_instead_of_crashing()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("walk/v1");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(videos.Path(VideoFixtures.Frames))) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var ann = Write(dir.Path, "list.txt", "walk/v1 50 0"); // the folder holds 10 frames
        var data = RawFramesFormat.Load(dir.Path, ann);
        var index = IndexedDataset.Build(data, new DecodingFrameReader(Small));
        Assert.Equal([50], index.FrameCounts);
        var loader = new ClipLoader(index, new ConsecutiveClipSampler(16), ClipPipeline.Test(32), new LoaderOptions { BatchSize = 4 });
        Assert.Empty(loader.Epoch(0));
        Assert.Equal(3, loader.SkippedClips); // 50 listed frames make 3 clips of 16; none can be read
        var failure = Assert.Single(loader.ReadFailures);
        Assert.Equal(folder, failure.Key);
        Assert.Contains("only 10 frames decode", failure.Value);
    }

    [Fact]
    public void Synthetic_batches_without_any_files()
    {
        var synthetic = new SyntheticDataset(seed: 0, videosPerClass: 2, frames: 12, size: 32);
        var index = IndexedDataset.Build(synthetic.Load(DatasetSubset.Train), synthetic);
        Assert.Equal(Enumerable.Repeat(12, 12), index.FrameCounts);
        Assert.Empty(index.Skipped);
        var loader = new ClipLoader(index, new UniformClipSampler(8, 2), ClipPipeline.Test(32), new LoaderOptions { BatchSize = 5 });
        var batches = loader.Epoch(0).ToList();
        try
        {
            Assert.Equal([5, 5, 5, 5, 4], batches.Select(b => b.Count)); // 12 videos x 2 clips
            Assert.All(batches, b => Assert.Equal([(long)b.Count, 8, 3, 32, 32], b.Clips.shape));
            Assert.Equal(Enumerable.Range(0, 6).SelectMany(l => Enumerable.Repeat((long)l, 4)), batches.SelectMany(b => b.Labels.data<long>().ToArray()));
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
        Assert.Throws<ArgumentException>(() => new ClipLoader(index, new UniformClipSampler(8, 2), ClipPipeline.Test(32), new LoaderOptions { BatchSize = 0 }));
    }
}
