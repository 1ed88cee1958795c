using ReSpike.Video;

namespace ReSpike.Data.Synthetic;

/// <summary>
/// The built-in dataset: generated in memory from a seed, no files. Train and test videos come from
/// disjoint seed streams, so test videos are never training videos.
/// </summary>
public sealed class SyntheticDataset : IFrameReader
{
    public SyntheticDataset(int seed = 0, int videosPerClass = 24, int frames = 16, int size = 64)
    {
        if (videosPerClass < 1) throw new ArgumentException($"videos per class must be >= 1, got {videosPerClass}");
        if (frames < 1) throw new ArgumentException($"synthetic frames must be >= 1, got {frames}");
        if (size < 16) throw new ArgumentException($"synthetic frame size must be >= 16 px, got {size}");
        Seed = seed;
        VideosPerClass = videosPerClass;
        Frames = frames;
        Size = size;
    }

    public int Seed { get; }
    public int VideosPerClass { get; }
    public int Frames { get; }
    public int Size { get; }

    public VideoDataset Load(DatasetSubset subset)
    {
        var entries = new List<VideoEntry>();
        string part = subset == DatasetSubset.Train ? "train" : "test";
        for (int label = 0; label < SyntheticClasses.Names.Count; label++)
            for (int i = 0; i < VideosPerClass; i++)
                entries.Add(new VideoEntry($"synthetic://{part}/{SyntheticClasses.Names[label]}/{i:0000}", label) { FrameCount = Frames });
        return new VideoDataset($"synthetic {part} (seed {Seed})", SyntheticClasses.Names, entries);
    }

    public int FrameCount(VideoEntry video) => Frames;

    public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices) =>
        SyntheticVideo.Render(video.Label, VideoSeed(video.Path), Frames, Size).Select(indices);

    /// <summary>A stable per-video seed from the dataset seed and the video's id (string.GetHashCode is randomised per process).</summary>
    int VideoSeed(string id)
    {
        ulong h = 1469598103934665603UL ^ (ulong)(uint)Seed;
        foreach (char c in id) h = (h ^ c) * 1099511628211UL;
        return (int)(h ^ (h >> 32)) & int.MaxValue;
    }
}
