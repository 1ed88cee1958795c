using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>
/// How many operations one call of a layer costs, from the layer's hyper-parameters and the shapes it actually saw.
/// Multiply-add = one op (the paper's eq. 9 and the usual "FLOPs" of ResNet papers). Activations (ReLU, GELU,
/// softmax), element-wise adds/gates and neuron updates are not counted.
/// </summary>
public static class LayerOpRules
{
    /// <summary>True for the module types <see cref="Count"/> knows (convolution, linear, norms, pooling, upsampling).</summary>
    public static bool IsCounted(nn.Module module) => module is Convolution or Linear or NormBase or GroupNorm or LayerNorm
        or AvgPool1d or AvgPool2d or AvgPool3d or MaxPool1d or MaxPool2d or MaxPool3d
        or AdaptiveAvgPool1d or AdaptiveAvgPool2d or AdaptiveAvgPool3d or AdaptiveMaxPool1d or AdaptiveMaxPool2d or AdaptiveMaxPool3d
        or Upsample;

    /// <summary>Operation class and op count of one call with this input and output.</summary>
    public static (OpKind Kind, double Ops) Count(nn.Module module, Tensor input, Tensor output) => module switch
    {
        Convolution c => (OpKind.Conv, ConvOps(c, input, output)),
        Linear l => (OpKind.Linear, (double)output.numel() * l.in_features + (l.bias is null ? 0 : output.numel())),
        NormBase n => (OpKind.Norm, NormOps(input, n.affine)),
        GroupNorm g => (OpKind.Norm, NormOps(input, g.affine)),
        LayerNorm l => (OpKind.Norm, NormOps(input, l.elementwise_affine)),
        AvgPool1d or AvgPool2d or AvgPool3d or MaxPool1d or MaxPool2d or MaxPool3d => (OpKind.Pool, (double)output.numel() * WindowSize(module)),
        // adaptive (global) pooling reads every input element once
        AdaptiveAvgPool1d or AdaptiveAvgPool2d or AdaptiveAvgPool3d or AdaptiveMaxPool1d or AdaptiveMaxPool2d or AdaptiveMaxPool3d => (OpKind.Pool, input.numel()),
        Upsample u => (OpKind.Upsample, (double)output.numel() * InterpolationTaps(u.mode)),
        _ => throw new ArgumentException($"no op-count rule for {module.GetType().Name}"),
    };

    /// <summary>
    /// Attention products for queries [M, n, dim] and keys/values from m tokens: Q K^T and A V each cost
    /// M·n·m·dim multiply-adds (heads split dim, so the head count cancels).
    /// </summary>
    public static double AttentionMatmulOps(long samples, long queryTokens, long keyTokens, long dim) =>
        (double)samples * queryTokens * keyTokens * dim;

    static double ConvOps(Convolution c, Tensor input, Tensor output)
    {
        double kernel = c.kernel_size.Aggregate(1L, (a, k) => a * k);
        double bias = c.bias is null ? 0 : output.numel();
        // a transposed conv scatters every input element through C_out/groups kernels
        return c.transposed
            ? input.numel() * kernel * (c.out_channels / c.groups) + bias
            : output.numel() * kernel * (c.in_channels / c.groups) + bias;
    }

    static double NormOps(Tensor input, bool affine) => (double)input.numel() * (affine ? 2 : 1);

    static long WindowSize(nn.Module pool) => pool switch
    {
        AvgPool1d p => p.kernel_size,
        AvgPool2d p => p.kernel_size.Aggregate(1L, (a, k) => a * k),
        AvgPool3d p => p.kernel_size.Aggregate(1L, (a, k) => a * k),
        MaxPool1d p => p.kernel_size,
        MaxPool2d p => p.kernel_size.Aggregate(1L, (a, k) => a * k),
        MaxPool3d p => p.kernel_size.Aggregate(1L, (a, k) => a * k),
        _ => throw new ArgumentException($"{pool.GetType().Name} is not a windowed pool"),
    };

    static int InterpolationTaps(UpsampleMode mode) => mode switch
    {
        UpsampleMode.Nearest => 0,   // a copy, no arithmetic
        UpsampleMode.Linear => 2,
        UpsampleMode.Bilinear => 4,
        UpsampleMode.Trilinear => 8,
        UpsampleMode.Bicubic => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown upsampling mode"),
    };
}
