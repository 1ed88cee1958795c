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
        var q = SplitHeads(to_q.call(x));
        Tensor k, v;
        if (context is null)
        {
            k = SplitHeads(to_k.call(x));
            v = SplitHeads(to_v.call(x));
        }
        else
        {
            long contexts = context.shape[0];
            if (batch % contexts != 0)
                throw new ArgumentException($"attention: {batch} query samples cannot share {contexts} contexts");
            k = RepeatOverTime(SplitHeads(to_k.call(context)), batch / contexts);
            v = RepeatOverTime(SplitHeads(to_v.call(context)), batch / contexts);
        }
        var attended = nn.functional.scaled_dot_product_attention(q, k, v);   // [M, heads, n, d], scale 1/sqrt(d)
        var merged = attended.transpose(1, 2).reshape(batch, tokens, dim);
        return to_out.call(merged).MoveToOuterDisposeScope();
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
