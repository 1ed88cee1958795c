using ReSpike.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Backbones;

/// <summary>
/// ImageNet ResNet with torchvision's parameter names (conv1, bn1, layer1..layer4, fc), so torchvision
/// state_dicts load by name. <see cref="Stages"/> returns the stage outputs used as cross-attention context.
/// Initialisation follows torchvision: Kaiming-normal (fan_out, ReLU) convs, BN weight 1 / bias 0.
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly MaxPool2d maxpool;
    readonly Sequential layer1, layer2, layer3, layer4;
    readonly Linear? fc;

    internal ResNet(string name, bool bottleneck, int[] blocks, long? numClasses) : base(name)
    {
        Depth = name;
        long e = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        var widths = ResNetStages.Widths;
        conv1 = nn.Conv2d(3, widths[0], 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(widths[0]);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        long inChannels = widths[0];
        Sequential MakeLayer(int stage)
        {
            long planes = widths[stage], stride = ResNetStages.FirstBlockStride(stage, StemStride);
            var layer = nn.Sequential();
            for (int i = 0; i < blocks[stage]; i++)
            {
                nn.Module<Tensor, Tensor> block = bottleneck
                    ? new Bottleneck(inChannels, planes, i == 0 ? stride : 1)
                    : new BasicBlock(inChannels, planes, i == 0 ? stride : 1);
                layer.append(i.ToString(), block);
                inChannels = planes * e;
            }
            return layer;
        }
        layer1 = MakeLayer(0);
        layer2 = MakeLayer(1);
        layer3 = MakeLayer(2);
        layer4 = MakeLayer(3);
        StageChannels = ResNetStages.Channels(e);
        if (numClasses is { } classes) fc = nn.Linear(StageChannels[^1], classes);
        RegisterComponents();
        Layers.NormInitialization.Apply(this);
        InitializeLikeTorchvision();
    }

    /// <summary>conv1 (stride 2) then maxpool (stride 2).</summary>
    const int StemStride = 4;

    /// <summary>Architecture names accepted by <see cref="Create"/> (the <see cref="BackboneRegistry"/>).</summary>
    public static IReadOnlyList<string> Architectures => BackboneRegistry.Backbones.Names;

    /// <summary>Builds a registered architecture (resnet18/34/50/101/152); numClasses null leaves out the classifier (a trunk for features).</summary>
    public static ResNet Create(string architecture, long? numClasses = null) => BackboneRegistry.Backbones.Get(architecture).Create(numClasses);

    /// <summary>Output channels of layer1..layer4 for an architecture, without building it.</summary>
    public static long[] ChannelsOf(string architecture) => [.. BackboneRegistry.Backbones.Get(architecture).StageChannels];

    public string Depth { get; }

    /// <summary>Output channels of layer1..layer4.</summary>
    public long[] StageChannels { get; }

    /// <summary>1x1 conv + BN projection shortcut, named downsample.0 / downsample.1 as in torchvision.</summary>
    internal static Sequential Projection(long inChannels, long outChannels, long stride) =>
        nn.Sequential(("0", nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)), ("1", nn.BatchNorm2d(outChannels)));

    /// <summary>conv1 + bn1 + relu + maxpool: [N, 3, H, W] -> [N, 64, H/4, W/4].</summary>
    public Tensor Stem(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = bn1.call(conv1.call(x)).relu_();
        return maxpool.call(y).MoveToOuterDisposeScope();
    }

    /// <summary>The four stage outputs layer1..layer4 (strides 4, 8, 16, 32).</summary>
    public Tensor[] Stages(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var s1 = layer1.call(Stem(x));
        var s2 = layer2.call(s1);
        var s3 = layer3.call(s2);
        // inference only: in training libtorch's convolutions already return channels-last strides for tiny maps, and
        // converting them there would change the training numerics (a data-parallel equivalence test caught 2e-4 in loss)
        Tensor s4;
        if (!torch.is_grad_enabled() && ChannelsLast.PrefersContiguous(s3))
        {
            using var contiguous = s3.contiguous();
            s4 = layer4.call(contiguous);
        }
        else s4 = layer4.call(s3);
        return [s1.MoveToOuterDisposeScope(), s2.MoveToOuterDisposeScope(), s3.MoveToOuterDisposeScope(), s4.MoveToOuterDisposeScope()];
    }

    /// <summary>Image classification: stages, global average pool, fc. Needs a classifier.</summary>
    public override Tensor forward(Tensor x)
    {
        if (fc is null) throw new InvalidOperationException($"{Depth} was built without a classifier (numClasses null); use Stages()");
        var stages = Stages(x);
        try
        {
            using var pooled = stages[3].mean([2, 3]);
            return fc.call(pooled);
        }
        finally { foreach (var s in stages) s.Dispose(); }
    }

    void InitializeLikeTorchvision()
    {
        using var _ = torch.no_grad();
        foreach (var conv in modules().OfType<Conv2d>())
            nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
    }
}
