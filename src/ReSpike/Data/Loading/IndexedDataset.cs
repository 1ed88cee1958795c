using ReSpike.Video;

namespace ReSpike.Data.Loading;

/// <summary>
/// A dataset with each video's decoded frame count, found once up front; videos that cannot be
/// decoded are left out here (with the reason) so a run trains on and reports them at the end.
/// </summary>
public sealed class IndexedDataset
{
    IndexedDataset(VideoDataset dataset, IFrameReader reader, int[] frameCounts, IReadOnlyList<SkippedVideo> skipped)
    {
        Dataset = dataset;
        Reader = reader;
        FrameCounts = frameCounts;
        Skipped = skipped;
    }

    public VideoDataset Dataset { get; }
    public IFrameReader Reader { get; }

    /// <summary>Decoded frames per video; 0 for a skipped video.</summary>
    public IReadOnlyList<int> FrameCounts { get; }

    public IReadOnlyList<SkippedVideo> Skipped { get; }

    public int UsableVideos => FrameCounts.Count(n => n > 0);

    public static IndexedDataset Build(VideoDataset dataset, IFrameReader reader, int parallelism = 0,
        Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        var counts = new int[dataset.Count];
        var skipped = ParallelVideos.Run(dataset.Count, Count, parallelism, progress, cancel);
        return new IndexedDataset(dataset, reader, counts, skipped);

        SkippedVideo? Count(int i)
        {
            var video = dataset.Videos[i];
            try
            {
                counts[i] = reader.FrameCount(video);
                return counts[i] < 1 ? new SkippedVideo(video.Path, "no frames") : null;
            }
            catch (Exception e) when (e is VideoDecodeException or InvalidDataException or IOException)
            {
                counts[i] = 0;
                return new SkippedVideo(video.Path, e is VideoDecodeException v ? v.Reason : e.Message);
            }
        }
    }
}
