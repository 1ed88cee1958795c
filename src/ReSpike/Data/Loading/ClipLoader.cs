using System.Collections.Concurrent;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Loading;

/// <summary>
/// Turns an indexed dataset into batches: clips from the sampler, shuffled by (seed, epoch),
/// augmented with a random generator derived from (seed, epoch, position), so the batches of an
/// epoch are the same whatever the number of workers. Batches are built ahead on worker tasks and
/// handed out in order. A clip whose video fails to read is dropped and counted, never fatal.
/// </summary>
public sealed class ClipLoader
{
    readonly ConcurrentDictionary<string, string> _failures = new();

    public ClipLoader(IndexedDataset data, ClipSampler sampler, ClipPipeline pipeline, LoaderOptions options)
    {
        if (options.BatchSize < 1) throw new ArgumentException($"--batch must be >= 1, got {options.BatchSize}");
        if (options.Prefetch < 1) throw new ArgumentException($"prefetch must be >= 1, got {options.Prefetch}");
        Data = data;
        Sampler = sampler;
        Pipeline = pipeline;
        Options = options;
    }

    public IndexedDataset Data { get; }
    public ClipSampler Sampler { get; }
    public ClipPipeline Pipeline { get; }
    public LoaderOptions Options { get; }

    /// <summary>Videos that failed while reading clips (path -> reason), beyond those skipped at indexing.</summary>
    public IReadOnlyDictionary<string, string> ReadFailures => _failures;

    int _skippedClips;

    /// <summary>
    /// Clips dropped so far (all epochs) because their video failed to read. Unlike the sum of
    /// <see cref="ClipBatch.Skipped"/>, it counts batches that lost every clip (those are not served).
    /// </summary>
    public int SkippedClips => Volatile.Read(ref _skippedClips);

    /// <summary>The epoch's clips in the order they will be served.</summary>
    public IReadOnlyList<ClipRef> Clips(int epoch)
    {
        var clips = new List<ClipRef>();
        for (int v = 0; v < Data.Dataset.Count; v++)
        {
            int frames = Data.FrameCounts[v];
            if (frames < 1) continue;
            var rng = new Random(SeedMix.Of(Options.Seed, epoch, v, 0x5A17));
            var sampled = Sampler.Sample(frames, rng);
            for (int c = 0; c < sampled.Count; c++) clips.Add(new ClipRef(v, c, sampled[c]));
        }
        if (Options.Shuffle)
        {
            var rng = new Random(SeedMix.Of(Options.Seed, epoch, 0x5F1E));
            for (int i = clips.Count - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (clips[i], clips[j]) = (clips[j], clips[i]);
            }
        }
        return clips;
    }

    public int BatchCount(int epoch) => Batches(Clips(epoch)).Count;

    List<(int Start, int Count)> Batches(IReadOnlyList<ClipRef> clips)
    {
        var batches = new List<(int, int)>();
        for (int start = 0; start < clips.Count; start += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, clips.Count - start);
            if (count < Options.BatchSize && Options.DropLast) break;
            batches.Add((start, count));
        }
        return batches;
    }

    /// <summary>The epoch's batches as (first clip, clips) in its clip order (<see cref="LoaderOptions.DropLast"/> applied).</summary>
    public IReadOnlyList<(int Start, int Count)> BatchRanges(int epoch) => Batches(Clips(epoch));

    /// <summary>
    /// The epoch's batches, built <see cref="LoaderOptions.Prefetch"/> ahead. Dispose each batch after use.
    /// <paramref name="skipBatches"/> starts mid-epoch (a resumed run) without reading the skipped clips.
    /// </summary>
    public IEnumerable<ClipBatch> Epoch(int epoch, int skipBatches = 0, CancellationToken cancel = default)
    {
        var clips = Clips(epoch);
        var batches = Batches(clips);
        return Serve(epoch, clips, batches.Skip(Math.Clamp(skipBatches, 0, batches.Count)).ToList(), cancel);
    }

    /// <summary>
    /// Chosen stretches of the epoch's clip order as batches, in the given order (a rank's shard, a resumed run's rest).
    /// Augmentation depends on each clip's position in the epoch, so a clip is the same whichever batch serves it.
    /// </summary>
    /// <param name="serveEmpty">A range whose every clip failed to read is served as an empty batch (Count 0) instead of
    /// left out, so a caller that counts batches (a rank taking its part of a step) stays in step.</param>
    public IEnumerable<ClipBatch> Epoch(int epoch, IReadOnlyList<(int Start, int Count)> ranges, CancellationToken cancel = default, bool serveEmpty = false) =>
        Serve(epoch, Clips(epoch), ranges, cancel, serveEmpty);

    IEnumerable<ClipBatch> Serve(int epoch, IReadOnlyList<ClipRef> clips, IReadOnlyList<(int Start, int Count)> batches, CancellationToken cancel, bool serveEmpty = false)
    {
        foreach (var (start, count) in batches)
            if (start < 0 || count < 1 || start + count > clips.Count)
                throw new ArgumentOutOfRangeException(nameof(batches), $"clips {start}..{start + count - 1} are outside the epoch's {clips.Count}");
        var inFlight = new Queue<Task<ClipBatch?>>();
        int next = 0;
        try
        {
            while ((next < batches.Count || inFlight.Count > 0) && !cancel.IsCancellationRequested)
            {
                while (next < batches.Count && inFlight.Count < Options.Prefetch)
                {
                    var (start, count) = batches[next++];
                    inFlight.Enqueue(Task.Run(() => Build(clips, start, count, epoch, serveEmpty)));
                }
                var batch = inFlight.Dequeue().GetAwaiter().GetResult();
                if (batch is not null) yield return batch;
            }
        }
        finally
        {
            // an abandoned enumeration (break, exception) still frees the batches built ahead
            while (inFlight.Count > 0)
            {
                try { inFlight.Dequeue().GetAwaiter().GetResult()?.Dispose(); } catch (Exception) { }
            }
        }
    }

    ClipBatch? Build(IReadOnlyList<ClipRef> clips, int start, int count, int epoch, bool serveEmpty)
    {
        var views = new List<Tensor>();
        var kept = new List<ClipRef>();
        int skipped = 0;
        try
        {
            for (int i = start; i < start + count; i++)
            {
                var clip = clips[i];
                var video = Data.Dataset.Videos[clip.Video];
                FrameStack frames;
                try
                {
                    frames = Data.Reader.Read(video, clip.Frames);
                }
                catch (Exception e) when (e is VideoDecodeException or InvalidDataException or IOException)
                {
                    _failures.TryAdd(video.Path, e is VideoDecodeException v ? v.Reason : e.Message);
                    Interlocked.Increment(ref _skippedClips);
                    skipped++;
                    continue;
                }
                using var raw = ClipTensor.FromFrames(frames);
                views.AddRange(Pipeline.Apply(raw, new Random(SeedMix.Of(Options.Seed, epoch, i, 0xA06))));
                kept.Add(clip);
            }
            if (kept.Count == 0)
                return serveEmpty ? new ClipBatch(torch.empty(0), torch.empty(0, ScalarType.Int64), kept, Pipeline.Views, skipped) { Start = start } : null;
            var stacked = torch.stack(views);
            var labels = torch.tensor(kept.Select(c => (long)Data.Dataset.Videos[c.Video].Label).ToArray());
            return new ClipBatch(stacked, labels, kept, Pipeline.Views, skipped) { Start = start };
        }
        finally
        {
            foreach (var v in views) v.Dispose();
        }
    }
}
