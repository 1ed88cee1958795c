using ReSpike.Models.SpikingResformer;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>
/// What one call of a layer costs, from the layer's hyper-parameters and the shapes it actually saw, split by what the
/// arithmetic is: multiply-adds (one op each; the paper's eq. 9 and the usual "FLOPs" of ResNet papers) and plain
/// additions or comparisons (pooling, norm statistics), which need no multiplier and are priced as an add.
/// Activations (ReLU, GELU, softmax), element-wise adds/gates and neuron updates are not counted. docs/energy.md
/// ("What is counted") gives the reasons for each rule.
/// </summary>
public static class LayerOpRules
{
    /// <summary>True for the module types <see cref="Count"/> knows (convolution, linear, norms, pooling, upsampling).</summary>
    public static bool IsCounted(nn.Module module) => module is Convolution or SequenceConv2d or SequenceMaxPool2d or Linear or NormBase or GroupNorm or LayerNorm
        or AvgPool1d or AvgPool2d or AvgPool3d or MaxPool1d or MaxPool2d or MaxPool3d
        or AdaptiveAvgPool1d or AdaptiveAvgPool2d or AdaptiveAvgPool3d or AdaptiveMaxPool1d or AdaptiveMaxPool2d or AdaptiveMaxPool3d
        or Upsample;

    /// <summary>Operation class, multiply-adds and plain adds/compares of one call with this input and output.</summary>
    public static LayerCost Count(nn.Module module, Tensor input, Tensor output) => module switch
    {
        Convolution c => new(OpKind.Conv, ConvOps(c, input, output), 0),
        // SpikingResformer's multi-step conv (bias-free): the same count over all timesteps
        SequenceConv2d c => new(OpKind.Conv, (double)output.numel() * c.KernelSize * c.KernelSize * (c.InChannels / c.Groups), 0),
        SequenceMaxPool2d p => new(OpKind.Pool, 0, (double)output.numel() * p.KernelSize * p.KernelSize),
        Linear l => new(OpKind.Linear, (double)output.numel() * l.in_features + (l.bias is null ? 0 : output.numel()), 0),
        // BatchNorm with running statistics (eval) only normalises; in training it also measures the batch
        NormBase n => NormCost(input, n.affine, statistics: n.training || !n.track_running_stats),
        // GroupNorm and LayerNorm measure every sample, also at inference
        GroupNorm g => NormCost(input, g.affine, statistics: true),
        LayerNorm l => NormCost(input, l.elementwise_affine, statistics: true),
        // max pooling compares, average pooling adds (its 1/k scale folds into the next layer): no multiplier
        AvgPool1d or AvgPool2d or AvgPool3d or MaxPool1d or MaxPool2d or MaxPool3d => new(OpKind.Pool, 0, (double)output.numel() * WindowSize(module)),
        // adaptive (global) pooling reads every input element once
        AdaptiveAvgPool1d or AdaptiveAvgPool2d or AdaptiveAvgPool3d or AdaptiveMaxPool1d or AdaptiveMaxPool2d or AdaptiveMaxPool3d => new(OpKind.Pool, 0, input.numel()),
        // interpolation is a weighted sum of taps: multiply-adds
        Upsample u => new(OpKind.Upsample, (double)output.numel() * InterpolationTaps(u.mode), 0),
        _ => throw new ArgumentException($"no op-count rule for {module.GetType().Name}"),
    };

    /// <summary>
    /// Attention products for queries [M, n, dim] and keys/values from m tokens: Q K^T and A V each cost
    /// M·n·m·dim multiply-adds (heads split dim, so the head count cancels).
    /// </summary>
    public static double AttentionMatmulOps(long samples, long queryTokens, long keyTokens, long dim) =>
        (double)samples * queryTokens * keyTokens * dim;

    /// <summary>
    /// A matrix product left [.., n, k] @ right [.., k, m] (DSSA's <see cref="SpikeRightMatmul"/>): one multiply-add per
    /// output element and inner index.
    /// </summary>
    public static double MatmulOps(Tensor left, Tensor output) => (double)output.numel() * left.shape[^1];

    static double ConvOps(Convolution c, Tensor input, Tensor output)
    {
        double kernel = c.kernel_size.Aggregate(1L, (a, k) => a * k);
        double bias = c.bias is null ? 0 : output.numel();
        // a transposed conv scatters every input element through C_out/groups kernels
        return c.transposed
            ? input.numel() * kernel * (c.out_channels / c.groups) + bias
            : output.numel() * kernel * (c.in_channels / c.groups) + bias;
    }

    /// <summary>
    /// Normalising is a scale and a shift per element, 2 ops with the affine transform and 1 without (syops-counter's
    /// count, which the paper's Table 3 FLOPs follow; BN is not folded into the conv). Measuring statistics adds, per
    /// element, one add (sum) and one multiply-add (sum of squares).
    /// </summary>
    static LayerCost NormCost(Tensor input, bool affine, bool statistics)
    {
        double elements = input.numel();
        double normalise = elements * (affine ? 2 : 1);
        return statistics ? new(OpKind.Norm, normalise + elements, elements) : new(OpKind.Norm, normalise, 0);
    }

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
