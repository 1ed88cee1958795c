using System.Diagnostics;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.EarlyExit;
using ReSpike.Energy;
using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>Evaluates a network on an indexed test set (eval mode, no autograd).</summary>
public static class Evaluator
{
    /// <param name="clipsPerVideo">Video-level clips: 0 = the clip-level clips (then one pass serves both levels), N = N uniform clips.</param>
    /// <param name="crops">Views per clip for video level: 1 (centre) or 3 (three crops).</param>
    /// <param name="protocol">Sampling and test transform of the clip level (default: every consecutive clip, centre): pass the training's.</param>
    /// <param name="exit">Segment-level early exit for every clip (--exit-threshold); the report then carries the mean segments
    /// used and the energy per clip counted (45 nm fp32) on the work the clip-level pass actually ran.</param>
    public static EvaluationReport Run(VideoModel net, IndexedDataset data, int clipsPerVideo = 0, int crops = 1, int batchSize = 8,
        Action<int, int>? progress = null, CancellationToken cancel = default, EvaluationProtocol? protocol = null, SegmentExit? exit = null)
    {
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
        totalBatches = clipLoader.BatchCount(0) + (videoLoader?.BatchCount(0) ?? 0);
        void Tick() => progress?.Invoke(++doneBatches, totalBatches);

        PassResult clipPass;
        double? energyMj = null;
        if (exit is null) clipPass = Score(net, clipLoader, classes, Tick, cancel, exit);
        else
        {
            using var counter = new OpCounter(net);
            clipPass = Score(net, clipLoader, classes, Tick, cancel, exit);
            int views = Math.Max(1, clipPass.Views);
            energyMj = counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32)) * 1e-9 / views;
        }
        var videoPass = videoLoader is null ? clipPass : Score(net, videoLoader, classes, Tick, cancel, exit);

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
        var skipped = data.Skipped.Concat(clipLoader.ReadFailures.Concat(videoLoader?.ReadFailures ?? new Dictionary<string, string>())
                .DistinctBy(f => f.Key).Where(f => data.Skipped.All(s => s.Path != f.Key)).Select(f => new SkippedVideo(f.Key, f.Value)))
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

    /// <param name="Views">Clip views forwarded (clips x crops); <paramref name="SegmentsUsed"/> summed over them (early exit only).</param>
    sealed record PassResult(int Clips, int ClipCorrect, SortedDictionary<int, double[]> VideoProbabilities, int Views, long SegmentsUsed);

    /// <summary>One pass: per-clip predictions (views averaged) and per-video summed probabilities (then averaged).</summary>
    static PassResult Score(VideoModel net, ClipLoader loader, int classes, Action tick, CancellationToken cancel, SegmentExit? exit)
    {
        net.eval();
        var sums = new SortedDictionary<int, double[]>();
        var counts = new Dictionary<int, int>();
        int clips = 0, correct = 0, views = 0;
        long segmentsUsed = 0;
        using var noGrad = torch.no_grad();
        foreach (var batch in loader.Epoch(0, cancel: cancel))
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
                segmentsUsed += result.SegmentsUsed.Sum();
            }
            views += (int)batch.Clips.shape[0];
            var probs = logits.softmax(-1).view(batch.Count, batch.Views, classes).mean([1]);
            var values = probs.data<float>().ToArray();
            var labels = batch.Labels.data<long>().ToArray();
            for (int i = 0; i < batch.Count; i++)
            {
                var row = values.AsSpan(i * classes, classes);
                int video = batch.Refs[i].Video;
                int label = (int)labels[i];
                int predicted = ArgMax(row);
                clips++;
                if (predicted == label) correct++;
                if (!sums.TryGetValue(video, out var sum)) sums[video] = sum = new double[classes];
                for (int c = 0; c < classes; c++) sum[c] += row[c];
                counts[video] = counts.GetValueOrDefault(video) + 1;
            }
            tick();
        }
        foreach (var (video, sum) in sums)
            for (int c = 0; c < classes; c++) sum[c] /= counts[video];
        return new PassResult(clips, correct, sums, views, segmentsUsed);
    }

    static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }
}
