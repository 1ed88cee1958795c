using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>Max pooling over a multi-step tensor [T, B, C, H, W] (timesteps folded into the batch).</summary>
public sealed class SequenceMaxPool2d(long kernelSize, long stride, long padding) : nn.Module<Tensor, Tensor>(nameof(SequenceMaxPool2d))
{
    public long KernelSize { get; } = kernelSize;
    public long Stride { get; } = stride;
    public long Padding { get; } = padding;

    public override Tensor forward(Tensor x)
    {
        long t = x.shape[0], b = x.shape[1];
        using var flat = x.flatten(0, 1);
        using var y = nn.functional.max_pool2d(flat, [KernelSize, KernelSize], [Stride, Stride], [Padding, Padding]);
        return y.unflatten(0, [t, b]);
    }
}
