using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// MS-ResNet projection shortcut on the real-valued block input: AvgPool(stride, ceil) -> 1x1 conv -> BN.
/// Registered as 0 / 1 / 2 like the reference's nn.Sequential. Input and output are [T, N, C, H, W].
/// </summary>
public sealed class SpikingShortcut : nn.Module<Tensor, Tensor>
{
    readonly AvgPool2d pool;
    readonly Conv2d conv;
    readonly BatchNorm2d bn;

    public SpikingShortcut(long inChannels, long outChannels, long stride) : base(nameof(SpikingShortcut))
    {
        pool = nn.AvgPool2d(stride, stride, ceil_mode: true);
        conv = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        register_module("0", pool);
        register_module("1", conv);
        register_module("2", bn);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var pooled = TimeFolding.Fold(pool, x);
        var projected = TimeFolding.Fold(conv, pooled);
        return TimeFolding.PerTimestep(bn, projected).MoveToOuterDisposeScope();
    }
}
