using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Fusion;

/// <summary>
/// ReSpike's fusion block (Stable Diffusion's SpatialTransformer, depth 1, no positional embedding):
/// GroupNorm(32, eps 1e-6) -> 1x1 proj_in -> tokens; pre-LN transformer block
/// [t += SelfAttn(LN1 t); t += CrossAttn(LN2 t, ANN tokens); t += GEGLU(LN3 t)];
/// tokens -> map -> zero-initialised 1x1 proj_out -> + input. At initialisation it is the identity.
/// </summary>
public sealed class SpatialTransformer : nn.Module<Tensor, Tensor, Tensor>
{
    readonly GroupNorm norm;
    readonly Conv2d proj_in, proj_out;
    readonly LayerNorm ln1, ln2, ln3;
    readonly Attention self_attn, cross_attn;
    readonly Linear ff_in, ff_out;

    public SpatialTransformer(long channels, long contextChannels) : base(nameof(SpatialTransformer))
    {
        Channels = channels;
        ContextChannels = contextChannels;
        norm = nn.GroupNorm(32, channels, eps: 1e-6);
        proj_in = nn.Conv2d(channels, channels, 1);
        ln1 = nn.LayerNorm(channels);
        ln2 = nn.LayerNorm(channels);
        ln3 = nn.LayerNorm(channels);
        self_attn = new Attention(channels, channels);
        cross_attn = new Attention(channels, contextChannels);
        ff_in = nn.Linear(channels, 8 * channels);   // GEGLU: value and gate, 4C each
        ff_out = nn.Linear(4 * channels, channels);
        proj_out = nn.Conv2d(channels, channels, 1);
        RegisterComponents();
        using (torch.no_grad())
        {
            nn.init.zeros_(proj_out.weight);
            nn.init.zeros_(proj_out.bias!);
        }
    }

    public long Channels { get; }
    public long ContextChannels { get; }

    /// <summary>The cross-attention in which the SNN tokens query the ANN (key-frame) tokens.</summary>
    public Attention CrossAttention => cross_attn;

    /// <summary>x [M, C, h, w] real-valued SNN features; context [N, m, Cc] ANN tokens, M a multiple of N.</summary>
    public override Tensor forward(Tensor x, Tensor context)
    {
        using var scope = torch.NewDisposeScope();
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        var tokens = proj_in.call(norm.call(x)).flatten(2).transpose(1, 2);   // [M, h*w, C]
        tokens = tokens + self_attn.call(ln1.call(tokens), null);
        tokens = tokens + cross_attn.call(ln2.call(tokens), context);
        var gated = ff_in.call(ln3.call(tokens)).chunk(2, -1);
        tokens = tokens + ff_out.call(gated[0] * nn.functional.gelu(gated[1]));
        var map = tokens.transpose(1, 2).reshape(batch, channels, height, width);
        return proj_out.call(map).add_(x).MoveToOuterDisposeScope();
    }
}
