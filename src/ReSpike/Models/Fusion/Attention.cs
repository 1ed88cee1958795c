using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Fusion;

/// <summary>
/// Multi-head attention as in the ReSpike reference (Stable Diffusion's CrossAttention): to_q/to_k/to_v without
/// bias, to_out with bias, head dim 32, softmax(Q K^T / sqrt(32)) V. Self-attention when no context is given;
/// cross-attention otherwise (Q from x, K and V from the context tokens).
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor?, Tensor>
{
    public const long HeadDim = 32;

    readonly Linear to_q, to_k, to_v, to_out;

    public Attention(long dim, long contextDim) : base(nameof(Attention))
    {
        if (dim % HeadDim != 0) throw new ArgumentException($"attention width {dim} is not a multiple of the head dim {HeadDim}");
        Heads = dim / HeadDim;
        to_q = nn.Linear(dim, dim, hasBias: false);
        to_k = nn.Linear(contextDim, dim, hasBias: false);
        to_v = nn.Linear(contextDim, dim, hasBias: false);
        to_out = nn.Linear(dim, dim);
        RegisterComponents();
    }

    public long Heads { get; }

    /// <summary>
    /// x [M, n, dim]; context [N, m, contextDim] with M a multiple of N: sample i of x attends to context
    /// i mod N. This lets T timesteps folded as [T*N] share one key frame's context without copying its
    /// projections per timestep.
    /// </summary>
    public override Tensor forward(Tensor x, Tensor? context)
    {
        using var scope = torch.NewDisposeScope();
        long batch = x.shape[0], tokens = x.shape[1], dim = x.shape[2];
        var (q, k, v) = Project(x, context);
        var attended = nn.functional.scaled_dot_product_attention(q, k, v);   // [M, heads, n, d], scale 1/sqrt(d)
        var merged = attended.transpose(1, 2).reshape(batch, tokens, dim);
        return to_out.call(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The weights forward applies to the values, softmax(Q K^T / sqrt(d)) as [M, heads, n, m] (each query's row
    /// sums to 1), for the same x and context. Computed explicitly here because forward's fused
    /// scaled_dot_product_attention never materialises them; forward itself is left as it is.
    /// </summary>
    public Tensor Weights(Tensor x, Tensor? context)
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, _) = Project(x, context);
        var scores = q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(HeadDim));
        return scores.softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Queries from x, keys and values from the context (x itself for self-attention), each [M, heads, tokens, d].</summary>
    (Tensor Q, Tensor K, Tensor V) Project(Tensor x, Tensor? context)
    {
        long batch = x.shape[0];
        var q = SplitHeads(to_q.call(x));
        if (context is null) return (q, SplitHeads(to_k.call(x)), SplitHeads(to_v.call(x)));
        long contexts = context.shape[0];
        if (batch % contexts != 0)
            throw new ArgumentException($"attention: {batch} query samples cannot share {contexts} contexts");
        var k = RepeatOverTime(SplitHeads(to_k.call(context)), batch / contexts);
        var v = RepeatOverTime(SplitHeads(to_v.call(context)), batch / contexts);
        return (q, k, v);
    }

    /// <summary>[B, n, heads*d] -> [B, heads, n, d].</summary>
    Tensor SplitHeads(Tensor t) => t.view(t.shape[0], t.shape[1], Heads, HeadDim).transpose(1, 2);

    /// <summary>[N, ...] -> [repeats*N, ...] laid out as repeats blocks of N (matches [T, N] folded to T*N).</summary>
    static Tensor RepeatOverTime(Tensor t, long repeats)
    {
        if (repeats == 1) return t;
        var shape = t.shape;
        var expanded = t.unsqueeze(0).expand([repeats, .. shape]);
        return expanded.reshape([repeats * shape[0], .. shape[1..]]);
    }
}
