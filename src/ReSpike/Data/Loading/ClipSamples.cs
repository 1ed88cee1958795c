using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using static TorchSharp.torch;

namespace ReSpike.Data.Loading;

/// <summary>
/// Test clips as plain tensors [1, T, 3, S, S] for measurements that only need inputs (firing rates, energy):
/// consecutive clips, centre crop, in an order shuffled by the seed so the first N span the classes.
/// Each tensor is valid until the enumeration moves on.
/// </summary>
public static class ClipSamples
{
    public static IEnumerable<Tensor> Test(IndexedDataset data, int frames, int imageSize, int seed = 0)
    {
        var loader = new ClipLoader(data, new ConsecutiveClipSampler(frames), ClipPipeline.Test(imageSize),
            new LoaderOptions { BatchSize = 1, Shuffle = true, Seed = seed, Prefetch = 2 });
        foreach (var batch in loader.Epoch(0))
        {
            using var owned = batch;
            yield return owned.Clips;
        }
    }

    /// <summary>The first <paramref name="count"/> clips of <see cref="Test"/> as one batch [count, T, 3, H, W].</summary>
    public static Tensor TestBatch(IndexedDataset data, int frames, int imageSize, int count)
    {
        // each yielded clip lives only until the next one is read: keep copies
        var clips = Test(data, frames, imageSize).Take(count).Select(c => c.clone()).ToList();
        try
        {
            if (clips.Count < count) throw new ArgumentException($"{count} clips wanted, but the test subset of {data.Dataset.Name} gave only {clips.Count}");
            return cat(clips, 0);
        }
        finally { foreach (var c in clips) c.Dispose(); }
    }
}
