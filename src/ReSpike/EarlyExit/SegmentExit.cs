using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.EarlyExit;

/// <summary>
/// Segment-level early exit (after SEENN, Li et al. NeurIPS 2023): a clip's K segments run in order, their logits
/// are accumulated, and a clip stops as soon as the softmax of its running mean of logits has a maximum above
/// <see cref="Threshold"/>. Later segments of a stopped clip are never run: each step forwards only the clips still
/// going (their ANN, SNN and fusion work alone). Threshold 1 never exits (a softmax never exceeds 1): the full model.
/// </summary>
public sealed class SegmentExit
{
    /// <param name="threshold">tau in (0, 1] (--exit-threshold).</param>
    public SegmentExit(double threshold)
    {
        if (!(threshold > 0 && threshold <= 1))
            throw new ArgumentException($"--exit-threshold must be in (0, 1] (a softmax probability; 1 = never exit), got {threshold}");
        Threshold = threshold;
    }

    public double Threshold { get; }

    /// <summary>
    /// clips [B, T, 3, H, W] → (logits [B, classes]: the mean of the segments each clip used, segments used per clip).
    /// <paramref name="net"/> must be a <see cref="ISegmentedModel"/>; call it in eval mode under no_grad.
    /// </summary>
    public ExitResult Run(VideoModel net, Tensor clips)
    {
        var segmented = ISegmentedModel.Require(net, "--exit-threshold");
        using var scope = NewDisposeScope();
        long b = clips.shape[0], s = segmented.SegmentFrames, k = clips.shape[1] / s;
        var sums = torch.zeros([b, net.Config.NumClasses], dtype: ScalarType.Float32, device: clips.device);
        var used = new int[b];
        var active = Enumerable.Range(0, (int)b).ToList();
        for (long segment = 0; segment < k && active.Count > 0; segment++)
        {
            var rows = torch.tensor(active.Select(i => (long)i).ToArray(), device: clips.device);
            var frames = clips.index_select(0, rows).narrow(1, segment * s, s);
            var logits = segmented.SegmentLogits(frames).select(1, 0).to(ScalarType.Float32);
            sums.index_add_(0, rows, logits, 1);
            foreach (var i in active) used[i]++;
            if (segment == k - 1) break;
            var counts = torch.tensor(active.Select(i => (float)used[i]).ToArray(), device: clips.device).unsqueeze(1);
            var confidence = (sums.index_select(0, rows) / counts).softmax(-1).max(-1).values.data<float>().ToArray();
            active = active.Where((_, j) => !(confidence[j] > Threshold)).ToList();
        }
        var divisor = torch.tensor(used.Select(u => (float)u).ToArray(), device: clips.device).unsqueeze(1);
        return new ExitResult((sums / divisor).MoveToOuterDisposeScope(), used, (int)k);
    }
}

/// <summary>What <see cref="SegmentExit.Run"/> computed: logits [B, classes], segments each clip used, and the K a clip has.</summary>
public sealed record ExitResult(Tensor Logits, IReadOnlyList<int> SegmentsUsed, int Segments) : IDisposable
{
    public void Dispose() => Logits.Dispose();
}
