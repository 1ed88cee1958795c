using ReSpike.Spiking;
using ReSpike.Spiking.Layers;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// The spiking ResNet basic block with the neuron after the add: out = LIF2(BN2(Conv2(LIF1(BN1(Conv1(x))))) + shortcut(x)),
/// x and out are spikes. The shortcut is identity or, when the shape changes, a strided 1x1 conv + BN on the input spikes
/// (the torchvision downsample). Every conv takes spikes, so all of them run spike-driven. Multi-step [T, N, C, H, W].
/// </summary>
public sealed class SpikeAfterAddBlock : nn.Module<Tensor, Tensor>, IRecomputesSpikeLayers
{
    readonly SpikeDrivenConv2d conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    readonly LIFNode lif1, lif2;
    readonly Sequential? downsample;

    public SpikeAfterAddBlock(long inChannels, long outChannels, long stride) : base(nameof(SpikeAfterAddBlock))
    {
        conv1 = new SpikeDrivenConv2d(inChannels, outChannels, 3, stride: stride, padding: 1);
        bn1 = nn.BatchNorm2d(outChannels);
        lif1 = LIFNode.ReSpike(StepMode.Multi);
        conv2 = new SpikeDrivenConv2d(outChannels, outChannels, 3, stride: 1, padding: 1);
        bn2 = nn.BatchNorm2d(outChannels);
        lif2 = LIFNode.ReSpike(StepMode.Multi);
        if (stride != 1 || inChannels != outChannels)
            downsample = nn.Sequential(("0", new SpikeDrivenConv2d(inChannels, outChannels, 1, stride: stride)), ("1", nn.BatchNorm2d(outChannels)));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public bool RecomputeSpikeLayers { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = lif1.call(SpikeConvBatchNorm.Run(conv1, bn1, x, RecomputeSpikeLayers));
        y = SpikeConvBatchNorm.Run(conv2, bn2, y, RecomputeSpikeLayers);
        var identity = downsample is null
            ? x
            : SpikeConvBatchNorm.Run((SpikeDrivenConv2d)downsample[0], (BatchNorm2d)downsample[1], x, RecomputeSpikeLayers);
        return lif2.call(y.add_(identity)).MoveToOuterDisposeScope();
    }
}
