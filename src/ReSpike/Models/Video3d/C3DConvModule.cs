using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>One C3D convolution as mmaction2's ConvModule without a norm: 3x3x3 conv with bias (child "conv"), then ReLU.</summary>
public sealed class C3DConvModule : nn.Module<Tensor, Tensor>
{
    readonly Conv3d conv;

    public C3DConvModule(long inChannels, long outChannels) : base(nameof(C3DConvModule))
    {
        conv = nn.Conv3d(inChannels, outChannels, (3, 3, 3), padding: (1, 1, 1), bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = conv.call(x);
        return y.relu_();
    }
}
