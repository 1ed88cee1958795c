using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Distributed;

/// <summary>
/// The trainable parameters' gradients packed into a few large flat buffers (PyTorch DDP's buckets, 25 MB by default), so
/// averaging them costs a few big Allreduce calls instead of one per tensor. Buckets follow the parameters' registration
/// order, which every rank shares (same model). They are reduced after backward: TorchSharp 0.107 has no per-tensor
/// gradient hooks (Tensor.register_hook / post-accumulate-grad hooks), so the moment a bucket's gradients are final is not
/// observable and reduction cannot start during backward as in DDP. <see cref="ForBuffers"/> packs tensors themselves
/// (BatchNorm running statistics) instead of their gradients.
/// </summary>
public sealed class GradientBuckets : IDisposable
{
    bool OfGradients { get; init; } = true;

    /// <summary>Buckets over the tensors' own values, not their gradients (float buffers such as BatchNorm running statistics).</summary>
    public static GradientBuckets ForBuffers(IReadOnlyList<Tensor> buffers) => new(buffers) { OfGradients = false };

    /// <summary>PyTorch DDP's default bucket_cap_mb.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    readonly List<(Tensor Flat, List<(Tensor Parameter, long Offset)> Members)> _buckets = [];

    public GradientBuckets(IReadOnlyList<Tensor> parameters, long bucketBytes = DefaultBucketBytes)
    {
        if (parameters.Count == 0) return;
        if (bucketBytes < 4) throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "a bucket holds at least one float");
        var members = new List<(Tensor, long)>();
        long elements = 0;
        ScalarType? dtype = null;
        void Close()
        {
            if (members.Count == 0) return;
            _buckets.Add((torch.zeros(elements, dtype!.Value, parameters[0].device), members));
            (members, elements) = ([], 0);
        }
        foreach (var p in parameters)
        {
            long bytes = (elements + p.numel()) * p.ElementSize;
            if (members.Count > 0 && (bytes > bucketBytes || p.dtype != dtype)) Close();
            dtype = p.dtype;
            members.Add((p, elements));
            elements += p.numel();
        }
        Close();
        Parameters = parameters.Count;
        Bytes = _buckets.Sum(b => b.Flat.numel() * b.Flat.ElementSize);
    }

    public int Count => _buckets.Count;
    public int Parameters { get; }

    /// <summary>Bytes of gradient each rank sends per step (the sum of the buckets).</summary>
    public long Bytes { get; }

    /// <summary>Gives every parameter a (zero) gradient: a rank that had no clips this step still takes part with zeros.</summary>
    public void MaterialiseGradients()
    {
        foreach (var (_, members) in _buckets)
            foreach (var (p, _) in members)
                if (p.grad is null) p.grad = torch.zeros_like(p);
    }

    /// <summary>Sums every gradient over the ranks, then multiplies it by <paramref name="scale"/> (1 / the step's clips).</summary>
    public void AllreduceAndScale(IProcessGroup group, double scale, string what)
    {
        using var _ = torch.no_grad();
        for (int b = 0; b < _buckets.Count; b++)
        {
            var (flat, members) = _buckets[b];
            foreach (var (p, offset) in members)
                using (var slot = flat.narrow(0, offset, p.numel())) slot.copy_(Target(p).view(-1));
            group.AllreduceSum(flat, $"{what} (gradient bucket {b + 1} of {_buckets.Count})");
            flat.mul_(scale);
            foreach (var (p, offset) in members)
                using (var slot = flat.narrow(0, offset, p.numel()).view_as(p)) Target(p).copy_(slot);
        }
    }

    Tensor Target(Tensor p) => OfGradients ? p.grad! : p;

    public void Dispose()
    {
        foreach (var (flat, _) in _buckets) flat.Dispose();
    }
}
