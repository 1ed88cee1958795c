using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// torchvision's video BasicBlock: conv1 = [conv, BN, ReLU], conv2 = [conv, BN], plus the identity or a
/// 1x1x1 conv + BN projection ("downsample"), then ReLU. Children are named as torchvision's (conv1.0, conv1.1, ...).
/// </summary>
public sealed class VideoBasicBlock : nn.Module<Tensor, Tensor>
{
    // field names are torchvision's parameter names (RegisterComponents uses them)
    readonly Sequential conv1, conv2;
    readonly Sequential? downsample;

    public VideoBasicBlock(VideoConvKind kind, long inChannels, long planes, long stride) : base(nameof(VideoBasicBlock))
    {
        // torchvision sizes both (2+1)D convs of a block from the block's input width
        long mid = VideoConvolutions.FactorisedMidChannels(inChannels, planes);
        conv1 = nn.Sequential(("0", VideoConvolutions.Create(kind, inChannels, planes, mid, stride)), ("1", nn.BatchNorm3d(planes)), ("2", nn.ReLU(inplace: true)));
        conv2 = nn.Sequential(("0", VideoConvolutions.Create(kind, planes, planes, mid, 1)), ("1", nn.BatchNorm3d(planes)));
        if (stride != 1 || inChannels != planes)
        {
            var (t, h, w) = VideoConvolutions.ShortcutStride(kind, stride);
            downsample = nn.Sequential(("0", nn.Conv3d(inChannels, planes, (1, 1, 1), stride: (t, h, w), bias: false)), ("1", nn.BatchNorm3d(planes)));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = conv2.call(conv1.call(x));
        var shortcut = downsample is null ? x : downsample.call(x);
        return y.add_(shortcut).relu_().MoveToOuterDisposeScope();
    }
}
