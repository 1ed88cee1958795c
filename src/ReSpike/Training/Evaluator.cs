using System.Diagnostics;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Distributed;
using ReSpike.EarlyExit;
using ReSpike.Energy;
using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>
/// Evaluates a network on an indexed test set (eval mode, no autograd). Under MPI every rank scores every
/// <see cref="IProcessGroup.Size"/>-th batch of the single-process order and the per-clip probabilities are gathered, then
/// summed in that order on every rank: the report is bit-identical to one process's, on every rank.
/// </summary>
public static class Evaluator
{
    /// <param name="clipsPerVideo">Video-level clips: 0 = the clip-level clips (then one pass serves both levels), N = N uniform clips.</param>
    /// <param name="crops">Views per clip for video level: 1 (centre) or 3 (three crops).</param>
    /// <param name="protocol">Sampling and test transform of the clip level (default: every consecutive clip, centre): pass the training's.</param>
    /// <param name="exit">Segment-level early exit for every clip (--exit-threshold); the report then carries the mean segments
    /// used and the energy per clip counted (45 nm fp32) on the work the clip-level pass actually ran.</param>
    public static EvaluationReport Run(VideoModel net, IndexedDataset data, int clipsPerVideo = 0, int crops = 1, int batchSize = 8,
        Action<int, int>? progress = null, CancellationToken cancel = default, EvaluationProtocol? protocol = null, IProcessGroup? group = null,
        SegmentExit? exit = null)
    {
        group ??= SingleProcess.Instance;
        var watch = Stopwatch.StartNew();
        var config = net.Config;
        int classes = data.Dataset.ClassNames.Count;
        if (config.NumClasses != classes)
            throw new InvalidDataException($"the model has {config.NumClasses} classes, the dataset '{data.Dataset.Name}' has {classes}");
        protocol ??= new EvaluationProtocol();

        bool onePass = clipsPerVideo == 0 && crops == 1;
        int totalBatches = 0, doneBatches = 0;
        var loading = new LoaderOptions { BatchSize = batchSize, Seed = EvaluationProtocol.Seed };
        var clipLoader = new ClipLoader(data, protocol.Sampler(config.Frames), protocol.Pipeline(config.ImageSize), loading);
        ClipLoader? videoLoader = onePass ? null : new ClipLoader(data,
            clipsPerVideo == 0 ? protocol.Sampler(config.Frames) : new UniformClipSampler(config.Frames, clipsPerVideo),
            protocol.Pipeline(config.ImageSize, crops), loading);
        totalBatches = Shard(clipLoader, group).Count + (videoLoader is null ? 0 : Shard(videoLoader, group).Count);
        void Tick() => progress?.Invoke(++doneBatches, totalBatches);

        PassResult clipPass;
        double? energyMj = null;
        if (exit is null) clipPass = Score(net, clipLoader, classes, Tick, cancel, group, "the clip-level evaluation", exit);
        else
        {
            using var counter = new OpCounter(net);
            clipPass = Score(net, clipLoader, classes, Tick, cancel, group, "the clip-level evaluation", exit);
            // energy of the work this rank ran, summed over the ranks, per clip view
            var totals = new[] { counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32)) };
            if (group.Size > 1) group.AllreduceSum(totals, "the early-exit energy");
            energyMj = totals[0] * 1e-9 / Math.Max(1, clipPass.Views);
        }
        var videoPass = videoLoader is null ? clipPass : Score(net, videoLoader, classes, Tick, cancel, group, "the video-level evaluation", exit);

        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        int videos = 0, top1 = 0, top5 = 0;
        foreach (var (video, probs) in videoPass.VideoProbabilities)
        {
            int label = data.Dataset.Videos[video].Label;
            var ranked = Enumerable.Range(0, classes).OrderByDescending(c => probs[c]).ThenBy(c => c).ToArray();
            videos++;
            if (ranked[0] == label) top1++;
            if (ranked.Take(5).Contains(label)) top5++;
            confusion[label][ranked[0]]++;
        }
        var perClass = Enumerable.Range(0, classes).Select(c =>
        {
            int n = confusion[c].Sum(), correct = confusion[c][c];
            return new ClassAccuracy(data.Dataset.ClassNames[c], n, correct, n == 0 ? double.NaN : (double)correct / n);
        }).ToList();
        var present = perClass.Where(p => p.Videos > 0).ToList();
        var skipped = data.Skipped.Concat(clipPass.Failures.Concat(videoPass.Failures)
                .DistinctBy(f => f.Path).Where(f => data.Skipped.All(s => s.Path != f.Path)))
            .ToList();
        return new EvaluationReport(
            ClipTop1: clipPass.Clips == 0 ? 0 : (double)clipPass.ClipCorrect / clipPass.Clips,
            VideoTop1: videos == 0 ? 0 : (double)top1 / videos,
            VideoTop5: videos == 0 ? 0 : (double)top5 / videos,
            MeanClassAcc: present.Count == 0 ? 0 : present.Average(p => p.Accuracy),
            Videos: videos,
            Clips: clipPass.Clips,
            Skipped: skipped.Count,
            ClipsPerVideo: clipsPerVideo,
            Crops: crops,
            PerClass: perClass,
            Confusion: confusion,
            SkippedVideos: skipped,
            Seconds: watch.Elapsed.TotalSeconds)
        {
            ExitThreshold = exit?.Threshold,
            MeanSegments = exit is null ? null : (double)clipPass.SegmentsUsed / Math.Max(1, clipPass.Views),
            Segments = exit is null ? null : config.Segments,
            EnergyMj = energyMj,
        };
    }

    sealed record PassResult(int Clips, int ClipCorrect, SortedDictionary<int, double[]> VideoProbabilities, IReadOnlyList<SkippedVideo> Failures)
    {
        /// <summary>Clip views forwarded on all ranks (clips x crops).</summary>
        public int Views { get; init; }

        /// <summary>Segments those views ran (early exit only).</summary>
        public long SegmentsUsed { get; init; }
    }

    /// <summary>One clip's scores; (Start, Row) is its place in the single-process order.</summary>
    sealed record ClipScore(int Start, int Row, int Video, int Label, float[] Probabilities);

    /// <summary>This rank's batches: every Size-th of the single-process batches.</summary>
    static List<(int Start, int Count)> Shard(ClipLoader loader, IProcessGroup group) =>
        loader.BatchRanges(0).Where((_, b) => b % group.Size == group.Rank).ToList();

    /// <summary>One pass: per-clip predictions (views averaged) and per-video summed probabilities (then averaged).</summary>
    static PassResult Score(VideoModel net, ClipLoader loader, int classes, Action tick, CancellationToken cancel, IProcessGroup group, string what,
                            SegmentExit? exit)
    {
        net.eval();
        var scores = new List<ClipScore>();
        var work = new double[2];   // clip views forwarded, segments they ran (early exit)
        using (var noGrad = torch.no_grad())
            foreach (var batch in loader.Epoch(0, Shard(loader, group), cancel))
            {
                using var _ = batch;
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                Tensor logits;
                if (exit is null) logits = net.call(batch.Clips);
                else
                {
                    var result = exit.Run(net, batch.Clips);
                    logits = result.Logits;
                    work[1] += result.SegmentsUsed.Sum();
                }
                work[0] += batch.Clips.shape[0];
                var probs = logits.softmax(-1).view(batch.Count, batch.Views, classes).mean([1]);
                var values = probs.data<float>().ToArray();
                var labels = batch.Labels.data<long>().ToArray();
                for (int i = 0; i < batch.Count; i++)
                    scores.Add(new ClipScore(batch.Start, i, batch.Refs[i].Video, (int)labels[i], values.AsSpan(i * classes, classes).ToArray()));
                tick();
            }
        var failures = loader.ReadFailures.Select(f => new SkippedVideo(f.Key, f.Value)).ToList();
        if (group.Size > 1)
        {
            var all = group.AllgatherBytes(Serialize(scores, failures), what).Select(bytes => Deserialize(bytes, classes)).ToList();
            scores = all.SelectMany(a => a.Scores).OrderBy(c => c.Start).ThenBy(c => c.Row).ToList();
            failures = all.SelectMany(a => a.Failures).DistinctBy(f => f.Path).ToList();
            group.AllreduceSum(work, what);
        }
        return Sum(scores, classes, failures.OrderBy(f => f.Path, StringComparer.Ordinal).ToList()) with { Views = (int)work[0], SegmentsUsed = (long)work[1] };
    }

    /// <summary>Clip accuracy and per-video mean probabilities, summed in the single-process order.</summary>
    static PassResult Sum(List<ClipScore> scores, int classes, IReadOnlyList<SkippedVideo> failures)
    {
        var sums = new SortedDictionary<int, double[]>();
        var counts = new Dictionary<int, int>();
        int clips = 0, correct = 0;
        foreach (var score in scores)
        {
            clips++;
            if (ArgMax(score.Probabilities) == score.Label) correct++;
            if (!sums.TryGetValue(score.Video, out var sum)) sums[score.Video] = sum = new double[classes];
            for (int c = 0; c < classes; c++) sum[c] += score.Probabilities[c];
            counts[score.Video] = counts.GetValueOrDefault(score.Video) + 1;
        }
        foreach (var (video, sum) in sums)
            for (int c = 0; c < classes; c++) sum[c] /= counts[video];
        return new PassResult(clips, correct, sums, failures);
    }

    static byte[] Serialize(List<ClipScore> scores, List<SkippedVideo> failures)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(scores.Count);
            foreach (var s in scores)
            {
                w.Write(s.Start); w.Write(s.Row); w.Write(s.Video); w.Write(s.Label);
                foreach (var p in s.Probabilities) w.Write(p);
            }
            w.Write(failures.Count);
            foreach (var f in failures) { w.Write(f.Path); w.Write(f.Reason); }
        }
        return stream.ToArray();
    }

    static (List<ClipScore> Scores, List<SkippedVideo> Failures) Deserialize(byte[] bytes, int classes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        var scores = new List<ClipScore>();
        for (int n = r.ReadInt32(), i = 0; i < n; i++)
        {
            int start = r.ReadInt32(), row = r.ReadInt32(), video = r.ReadInt32(), label = r.ReadInt32();
            var probabilities = new float[classes];
            for (int c = 0; c < classes; c++) probabilities[c] = r.ReadSingle();
            scores.Add(new ClipScore(start, row, video, label, probabilities));
        }
        var failures = new List<SkippedVideo>();
        for (int n = r.ReadInt32(), i = 0; i < n; i++) failures.Add(new SkippedVideo(r.ReadString(), r.ReadString()));
        return (scores, failures);
    }

    static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }
}
