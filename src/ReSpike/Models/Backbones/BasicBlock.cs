using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Backbones;

/// <summary>torchvision's ResNet BasicBlock (ResNet-18/34): two 3x3 convs, identity or 1x1 projection shortcut.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    // field names are the torchvision parameter names (RegisterComponents uses them)
    readonly Conv2d conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    readonly nn.Module<Tensor, Tensor>? downsample;

    public BasicBlock(long inChannels, long planes, long stride) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inChannels, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        if (stride != 1 || inChannels != planes * Expansion)
            downsample = ResNet.Projection(inChannels, planes * Expansion, stride);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = bn1.call(conv1.call(x)).relu_();
        y = bn2.call(conv2.call(y));
        var shortcut = downsample is null ? x : downsample.call(x);
        return y.add_(shortcut).relu_().MoveToOuterDisposeScope();
    }
}
