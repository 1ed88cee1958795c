using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// A bias-free 2D convolution over a multi-step tensor [T, B, C, H, W] (timesteps folded into the batch), holding
/// its kernel as <c>weight</c> directly so the state-dict name is the official one (e.g. <c>up.1.weight</c>).
/// </summary>
public sealed class SequenceConv2d : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;

    public SequenceConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long groups = 1)
        : base(nameof(SequenceConv2d))
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"channels {inChannels} -> {outChannels} do not split into {groups} groups");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Groups) = (inChannels, outChannels, kernelSize, stride, padding, groups);
        weight = new Parameter(torch.empty(outChannels, inChannels / groups, kernelSize, kernelSize));
        register_parameter("weight", weight);
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Groups { get; }

    /// <summary>The kernel [out, in / groups, k, k].</summary>
    public Parameter Weight => weight;

    /// <summary>Output side for an input side (floor, as PyTorch).</summary>
    public long OutputSize(long inputSize) => (inputSize + 2 * Padding - KernelSize) / Stride + 1;

    public override Tensor forward(Tensor x)
    {
        long t = x.shape[0], b = x.shape[1];
        using var flat = x.flatten(0, 1);
        using var y = nn.functional.conv2d(flat, weight, null, [Stride, Stride], [Padding, Padding], [1, 1], Groups);
        return y.unflatten(0, [t, b]);
    }
}
