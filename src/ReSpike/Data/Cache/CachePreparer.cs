using System.Collections.Concurrent;
using System.Diagnostics;
using ReSpike.Video;

namespace ReSpike.Data.Cache;

/// <summary>
/// Fills a frame cache for a list of videos in parallel. Resumable by construction: finished entries
/// are complete files and are skipped on the next run; a cancelled run leaves only temp files, which
/// the next run removes.
/// </summary>
public static class CachePreparer
{
    public static PrepareReport Prepare(FrameCache cache, IReadOnlyList<VideoEntry> videos, int parallelism = 0,
        Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        cache.RemoveLeftovers();
        int decoded = 0, reused = 0, done = 0;
        var failed = new ConcurrentBag<(int Index, SkippedVideo Video)>();
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount,
            CancellationToken = cancel,
        };
        try
        {
            Parallel.For(0, videos.Count, options, Decode);
        }
        catch (AggregateException e)
        {
            Ffmpeg.RethrowIfMissing(e); // one "install ffmpeg" message, not one per video
            throw;
        }
        long bytes = Directory.EnumerateFiles(cache.Root, "*.rsfc").Sum(f => new FileInfo(f).Length);
        return new PrepareReport(videos.Count, decoded, reused, failed.OrderBy(f => f.Index).Select(f => f.Video).ToList(), bytes, watch.Elapsed.TotalSeconds);

        void Decode(int i)
        {
            try
            {
                if (cache.Ensure(videos[i])) Interlocked.Increment(ref decoded);
                else Interlocked.Increment(ref reused);
            }
            catch (VideoDecodeException e)
            {
                failed.Add((i, new SkippedVideo(videos[i].Path, e.Reason)));
            }
            progress?.Invoke(Interlocked.Increment(ref done), videos.Count);
        }
    }
}
