using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>mmaction2's I3DHead as C3D configures it (no spatial pooling): dropout 0.5, then fc_cls from 4096 features.</summary>
public sealed class C3DHead : nn.Module<Tensor, Tensor>
{
    readonly Dropout dropout;
    readonly Linear fc_cls;

    public C3DHead(long inFeatures, long classes, double dropoutRate = 0.5) : base(nameof(C3DHead))
    {
        dropout = nn.Dropout(dropoutRate);
        fc_cls = nn.Linear(inFeatures, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        using var dropped = dropout.call(features);
        return fc_cls.call(dropped);
    }
}
