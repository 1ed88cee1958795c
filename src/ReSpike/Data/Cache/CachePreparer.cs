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
        int decoded = 0, reused = 0;
        var failed = ParallelVideos.Run(videos.Count, Decode, parallelism, progress, cancel);
        long bytes = Directory.EnumerateFiles(cache.Root, "*.rsfc").Sum(f => new FileInfo(f).Length);
        return new PrepareReport(videos.Count, decoded, reused, failed, bytes, watch.Elapsed.TotalSeconds);

        SkippedVideo? Decode(int i)
        {
            try
            {
                if (cache.Ensure(videos[i])) Interlocked.Increment(ref decoded);
                else Interlocked.Increment(ref reused);
                return null;
            }
            catch (VideoDecodeException e)
            {
                return new SkippedVideo(videos[i].Path, e.Reason);
            }
        }
    }
}
