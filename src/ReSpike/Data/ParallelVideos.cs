using System.Collections.Concurrent;
using ReSpike.Video;

namespace ReSpike.Data;

/// <summary>
/// The one parallel loop over videos (indexing, cache preparation, probing): one worker per core unless told
/// otherwise, progress after every video, the videos a worker gives up on collected in input order, and a
/// missing ffmpeg reported once rather than once per video.
/// </summary>
public static class ParallelVideos
{
    /// <summary>
    /// Runs <paramref name="work"/> for videos 0..count-1; it returns the video when it has to be left out, else null.
    /// <paramref name="progress"/> hears (done, total) after each video. Returns the left-out videos in index order.
    /// </summary>
    public static IReadOnlyList<SkippedVideo> Run(int count, Func<int, SkippedVideo?> work, int parallelism = 0,
        Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        var skipped = new ConcurrentBag<(int Index, SkippedVideo Video)>();
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount, CancellationToken = cancel };
        try
        {
            Parallel.For(0, count, options, i =>
            {
                if (work(i) is { } video) skipped.Add((i, video));
                progress?.Invoke(Interlocked.Increment(ref done), count);
            });
        }
        catch (AggregateException e)
        {
            Ffmpeg.RethrowIfMissing(e); // one "install ffmpeg" message, not one per video
            throw;
        }
        return skipped.OrderBy(s => s.Index).Select(s => s.Video).ToList();
    }
}
