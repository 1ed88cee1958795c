namespace ReSpike.Energy;

/// <summary>The operation classes the op counter distinguishes (one per counted layer type).</summary>
public enum OpKind
{
    /// <summary>Convolution: k_h k_w C_in/groups multiply-adds per output element (+1 bias add).</summary>
    Conv,
    /// <summary>Fully connected: C_in multiply-adds per output element (+1 bias add).</summary>
    Linear,
    /// <summary>Attention products Q K^T and (softmax) V: one multiply-add per query token, key token and channel.</summary>
    AttentionMatmul,
    /// <summary>BatchNorm / GroupNorm / LayerNorm: 2 ops per element with an affine transform, 1 without.</summary>
    Norm,
    /// <summary>Pooling: one add or compare per element of each window (global pooling: per input element).</summary>
    Pool,
    /// <summary>Upsampling: interpolation taps per output element (bilinear 4).</summary>
    Upsample,
}

/// <summary>The report names of <see cref="OpKind"/>.</summary>
public static class OpKindNames
{
    public static string Name(this OpKind kind) => kind switch
    {
        OpKind.Conv => "conv",
        OpKind.Linear => "linear",
        OpKind.AttentionMatmul => "attn-matmul",
        OpKind.Norm => "norm",
        OpKind.Pool => "pool",
        OpKind.Upsample => "upsample",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
