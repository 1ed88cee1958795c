using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// Dual Spike Self-Attention. The input x [T, B, C, H, W] fires (activation_in) into spikes S; a patch conv W (kernel
/// and stride = patch size) + BN gives Y = [Y1; Y2] per head; then with d = C / heads and N' patches:
///   attn = LIF(Y1^T S / sqrt(r_x d)),   out = LIF(Y2 attn / sqrt(r_attn L)),   result = BN(Wproj out) + x
/// where r_x, r_attn are the per-head firing rates of S and attn and L the token count of the configured image size.
/// Both matmuls have spikes on the right. The rates are buffers (<c>firing_rate_x</c>, <c>firing_rate_attn</c>,
/// [1, 1, heads, 1, 1]): set from the first training batch, then EMA with momentum 0.999, in training only; eval
/// uses the stored values.
/// </summary>
public sealed class Dssa : nn.Module<Tensor, Tensor>
{
    /// <summary>EMA momentum of the firing-rate buffers.</summary>
    public const double Momentum = 0.999;

    readonly Tensor firingRateX, firingRateAttn;
    readonly nn.Module<Tensor, Tensor> activationIn, activationAttn, activationOut;
    readonly SequenceConv2d w, wProj;
    readonly SpikeRightMatmul matmul1 = new(), matmul2 = new();
    readonly SequenceBatchNorm norm, normProj;
    // python attributes of the official module, not state: a loaded non-zero buffer is never re-initialised
    bool rateXInitialised, rateAttnInitialised;

    /// <param name="tokens">L of the second scale: (stage side / patch)^2 at the configured image size.</param>
    public Dssa(int channels, int heads, int tokens, int patchSize, SrfNeuron neuron) : base(nameof(Dssa))
    {
        if (channels % heads != 0) throw new ArgumentException($"DSSA: {channels} channels do not split into {heads} heads");
        (Channels, Heads, Tokens, PatchSize) = (channels, heads, tokens, patchSize);
        firingRateX = torch.zeros([1, 1, heads, 1, 1]);
        firingRateAttn = torch.zeros([1, 1, heads, 1, 1]);
        register_buffer("firing_rate_x", firingRateX);
        register_buffer("firing_rate_attn", firingRateAttn);
        activationIn = SpikingNeurons.Create(neuron);
        w = new SequenceConv2d(channels, 2 * channels, patchSize, stride: patchSize);
        norm = new SequenceBatchNorm(2 * channels);
        activationAttn = SpikingNeurons.Create(neuron);
        activationOut = SpikingNeurons.Create(neuron);
        wProj = new SequenceConv2d(channels, channels, 1);
        normProj = new SequenceBatchNorm(channels);
        register_module("activation_in", activationIn);
        register_module("W", w);
        register_module("norm", norm);
        register_module("matmul1", matmul1);
        register_module("matmul2", matmul2);
        register_module("activation_attn", activationAttn);
        register_module("activation_out", activationOut);
        register_module("Wproj", wProj);
        register_module("norm_proj", normProj);
    }

    public int Channels { get; }
    public int Heads { get; }
    /// <summary>L in the second scale factor.</summary>
    public int Tokens { get; }
    public int PatchSize { get; }

    /// <summary>Per-head firing rate of the input spikes, [1, 1, heads, 1, 1] (owned by the module).</summary>
    public Tensor FiringRateX => firingRateX;
    /// <summary>Per-head firing rate of the attention map, [1, 1, heads, 1, 1] (owned by the module).</summary>
    public Tensor FiringRateAttn => firingRateAttn;

    /// <summary>The input neuron (its spikes are the right operand of the first matmul).</summary>
    public nn.Module<Tensor, Tensor> InputNeuron => activationIn;

    /// <summary>The attention-map neuron (its spikes are the right operand of the second matmul).</summary>
    public nn.Module<Tensor, Tensor> AttentionNeuron => activationAttn;

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        long t = x.shape[0], b = x.shape[1], c = x.shape[2], h = x.shape[3], wd = x.shape[4];
        long d = c / Heads;
        var spikes = activationIn.call(x);
        var y = norm.call(w.call(spikes)).reshape(t, b, Heads, 2 * d, -1);
        var y1 = y[.., .., .., ..(int)d, ..];
        var y2 = y[.., .., .., (int)d.., ..];
        var s = spikes.reshape(t, b, Heads, d, -1);

        if (training) UpdateRate(firingRateX, s, ref rateXInitialised);
        var scale1 = (firingRateX * (double)(Channels / Heads)).sqrt_().reciprocal_();
        var attn = matmul1.call(y1.transpose(-1, -2), s).mul_(scale1);
        attn = activationAttn.call(attn);

        if (training) UpdateRate(firingRateAttn, attn, ref rateAttnInitialised);
        var scale2 = (firingRateAttn * (double)Tokens).sqrt_().reciprocal_();
        var outputs = matmul2.call(y2, attn).mul_(scale2).reshape(t, b, c, h, wd);
        outputs = activationOut.call(outputs);
        var result = normProj.call(wProj.call(outputs)).add_(x);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The official update: the first batch's rate when the buffer is still all zero, then rate = m rate + (1 - m) batch rate.</summary>
    static void UpdateRate(Tensor buffer, Tensor spikes, ref bool initialised)
    {
        using var _ = torch.no_grad();
        using var rate = spikes.detach().mean([0, 1, 3, 4], keepdim: true);
        if (!initialised)
        {
            using var zero = buffer.eq(0).all();
            if (zero.item<bool>()) buffer.copy_(rate);
        }
        initialised = true;
        using var kept = buffer * Momentum;
        using var added = rate * (1 - Momentum);
        buffer.copy_(kept.add_(added));
    }
}
