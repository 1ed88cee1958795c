using ReSpike.Data.Loading;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.EarlyExit;

/// <summary>
/// The logits of every segment of every test clip (the evaluation's clip-level clips, one view), with each segment's
/// energy (45 nm fp32, the mean over its batch) and the clip's video and label: enough to replay early exit for any tau.
/// </summary>
public sealed class SegmentScores
{
    sealed record Clip(int Video, int Label, float[][] Logits, double[] EnergyMj);

    readonly List<Clip> _clips = [];

    SegmentScores(int segments) => Segments = segments;

    /// <summary>K, segments per clip.</summary>
    public int Segments { get; }

    public int Clips => _clips.Count;

    /// <summary>One pass over the test clips, segment by segment, under no_grad in eval mode.</summary>
    public static SegmentScores Measure(VideoModel net, IndexedDataset test, EvaluationProtocol protocol, int batchSize = 8)
    {
        var segmented = ISegmentedModel.Require(net, "--exit-threshold");
        var config = net.Config;
        int s = segmented.SegmentFrames, k = config.Segments;
        var loader = new ClipLoader(test, protocol.Sampler(config.Frames), protocol.Pipeline(config.ImageSize),
                                    new LoaderOptions { BatchSize = batchSize, Seed = EvaluationProtocol.Seed });
        var scores = new SegmentScores(k);
        net.eval();
        using var counter = new OpCounter(net);
        using var noGrad = torch.no_grad();
        foreach (var batch in loader.Epoch(0))
        {
            using var _ = batch;
            using var scope = NewDisposeScope();
            int n = batch.Count;
            var labels = batch.Labels.data<long>().ToArray();
            var logits = new float[n][][];
            var energy = new double[n][];
            for (int i = 0; i < n; i++) (logits[i], energy[i]) = (new float[k][], new double[k]);
            for (int segment = 0; segment < k; segment++)
            {
                counter.Reset();
                var values = segmented.SegmentLogits(batch.Clips.narrow(1, segment * s, s)).select(1, 0).to(ScalarType.Float32).data<float>().ToArray();
                double mj = counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32)) * 1e-9 / n;
                int classes = values.Length / n;
                for (int i = 0; i < n; i++)
                {
                    logits[i][segment] = values.AsSpan(i * classes, classes).ToArray();
                    energy[i][segment] = mj;
                }
            }
            for (int i = 0; i < n; i++) scores._clips.Add(new Clip(batch.Refs[i].Video, (int)labels[i], logits[i], energy[i]));
        }
        if (scores._clips.Count == 0) throw new InvalidDataException($"{test.Dataset.Name}: no test clip could be read");
        return scores;
    }

    /// <summary>Early exit replayed on the recorded segments: clip and video top-1 (video: clip probabilities averaged), mean segments, energy per clip.</summary>
    public ExitSweepPoint Replay(SegmentExit exit, string label)
    {
        int correct = 0;
        long used = 0;
        double energy = 0;
        var videos = new SortedDictionary<int, (double[] Sum, int Count, int Label)>();
        foreach (var clip in _clips)
        {
            int classes = clip.Logits[0].Length;
            var sum = new float[classes];
            float[] probs = [];
            int n = 0;
            while (n < Segments)
            {
                for (int c = 0; c < classes; c++) sum[c] += clip.Logits[n][c];
                energy += clip.EnergyMj[n];
                n++;
                // the same float arithmetic as SegmentExit: running sum / count, then softmax
                probs = Softmax(sum.Select(v => v / n).ToArray());
                if (n < Segments && probs.Max() > exit.Threshold) break;
            }
            used += n;
            if (ArgMax(probs) == clip.Label) correct++;
            if (!videos.TryGetValue(clip.Video, out var v)) v = (new double[classes], 0, clip.Label);
            for (int c = 0; c < classes; c++) v.Sum[c] += probs[c];
            videos[clip.Video] = (v.Sum, v.Count + 1, v.Label);
        }
        int videoCorrect = videos.Values.Count(v => ArgMax(v.Sum.Select(x => (float)x).ToArray()) == v.Label);
        return new ExitSweepPoint(label, exit.Threshold, (double)correct / _clips.Count, (double)videoCorrect / videos.Count,
                                  (double)used / _clips.Count, Segments, energy / _clips.Count);
    }

    static float[] Softmax(float[] logits)
    {
        using var t = torch.tensor(logits);
        using var p = t.softmax(-1);
        return p.data<float>().ToArray();
    }

    static int ArgMax(float[] row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }
}
