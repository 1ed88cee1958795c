using ReSpike.Spiking;
using ReSpike.Spiking.Layers;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// MS-ResNet (membrane-shortcut, pre-activation) block: out = BN2(Conv2(LIF2(BN1(Conv1(LIF1(x)))))) + shortcut(x).
/// Convs are 3x3, no bias, Conv1 carries the stride; both take spikes, so they run event-driven at inference
/// when the firing rate makes that faster (<see cref="SpikeDrivenConv2d"/>). The shortcut acts on the real-valued input; the output is
/// real-valued (no LIF after the sum). Multi-step: x and the result are [T, N, C, H, W].
/// </summary>
public sealed class SpikingBasicBlock : nn.Module<Tensor, Tensor>, IRecomputesSpikeLayers
{
    readonly LIFNode lif1, lif2;
    readonly SpikeDrivenConv2d conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    readonly SpikingShortcut? shortcut;

    public SpikingBasicBlock(long inChannels, long outChannels, long stride) : base(nameof(SpikingBasicBlock))
    {
        lif1 = LIFNode.ReSpike(StepMode.Multi);
        conv1 = new SpikeDrivenConv2d(inChannels, outChannels, 3, stride: stride, padding: 1);
        bn1 = nn.BatchNorm2d(outChannels);
        lif2 = LIFNode.ReSpike(StepMode.Multi);
        conv2 = new SpikeDrivenConv2d(outChannels, outChannels, 3, stride: 1, padding: 1);
        bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels) shortcut = new SpikingShortcut(inChannels, outChannels, stride);
        RegisterComponents();
    }

    /// <summary>The block's two neurons, in order (for firing-rate monitors).</summary>
    public IReadOnlyList<LIFNode> Neurons => [lif1, lif2];

    /// <inheritdoc/>
    public bool RecomputeSpikeLayers { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = SpikeConvBatchNorm.Run(conv1, bn1, lif1.call(x), RecomputeSpikeLayers);
        y = SpikeConvBatchNorm.Run(conv2, bn2, lif2.call(y), RecomputeSpikeLayers);
        var identity = shortcut is null ? x : shortcut.call(x);
        return y.add_(identity).MoveToOuterDisposeScope();
    }
}
