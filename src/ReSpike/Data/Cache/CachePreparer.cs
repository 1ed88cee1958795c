using System.Diagnostics;
using ReSpike.Distributed;
using ReSpike.Video;

namespace ReSpike.Data.Cache;

/// <summary>
/// Fills a frame cache for a list of videos in parallel. Resumable by construction: finished entries
/// are complete files and are skipped on the next run; a cancelled run leaves only temp files, which
/// the next run removes. Under MPI the ranks share the videos (every Size-th each) and every rank gets the whole report.
/// </summary>
public static class CachePreparer
{
    public static PrepareReport Prepare(FrameCache cache, IReadOnlyList<VideoEntry> videos, int parallelism = 0,
        Action<int, int>? progress = null, CancellationToken cancel = default, IProcessGroup? group = null)
    {
        group ??= SingleProcess.Instance;
        var watch = Stopwatch.StartNew();
        // one rank clears the temp files of killed writers: on a shared cache another rank's would be in-flight ones
        if (group.IsRoot) cache.RemoveLeftovers();
        if (group.Size > 1) group.Barrier("the start of prepare");
        var mine = group.Share(videos.Count).ToList();
        int decoded = 0, reused = 0;
        var failed = ParallelVideos.Run(mine.Count, Decode, parallelism, progress, cancel);
        if (group.Size > 1)
        {
            var all = group.Allgather(new Share(decoded, reused, failed.ToList()), "gathering the prepare reports");
            (decoded, reused) = (all.Sum(s => s.Decoded), all.Sum(s => s.Reused));
            var order = videos.Select((v, i) => (v.Path, i)).DistinctBy(p => p.Path).ToDictionary(p => p.Path, p => p.i);
            failed = all.SelectMany(s => s.Failed).OrderBy(f => order.GetValueOrDefault(f.Path)).ToList();
        }
        long bytes = Directory.EnumerateFiles(cache.Root, "*.rsfc").Sum(f => new FileInfo(f).Length);
        return new PrepareReport(videos.Count, decoded, reused, failed, bytes, watch.Elapsed.TotalSeconds);

        SkippedVideo? Decode(int k)
        {
            int i = mine[k];
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

    /// <summary>One rank's part of the report.</summary>
    sealed record Share(int Decoded, int Reused, List<SkippedVideo> Failed);
}
