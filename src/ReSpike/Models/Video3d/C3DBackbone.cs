using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// C3D (Tran et al. 2015) in mmaction2's layout and names: conv1a (64) pool1 (1x2x2) conv2a (128) pool2 conv3a/b (256)
/// pool3 conv4a/b (512) pool4 conv5a/b (512) pool5 (2x2x2, spatial padding 1), all convs 3x3x3; then flatten,
/// fc6 (4096) ReLU, dropout, fc7 (4096) ReLU. fc6's input is what pool5 leaves of the clip: 512·1·4·4 = 8192 at
/// 16 × 112² (mmaction2's out_dim); other clip sizes change fc6 (and the parameter count) accordingly.
/// </summary>
public sealed class C3DBackbone : nn.Module<Tensor, Tensor>
{
    // field names are mmaction2's parameter names (RegisterComponents uses them)
    readonly C3DConvModule conv1a, conv2a, conv3a, conv3b, conv4a, conv4b, conv5a, conv5b;
    readonly MaxPool3d pool1, pool2, pool3, pool4, pool5;
    readonly Linear fc6, fc7;
    readonly Dropout dropout;

    public const long HiddenWidth = 4096;

    public C3DBackbone(int frames, int imageSize, double dropoutRate = 0.5) : base(nameof(C3DBackbone))
    {
        conv1a = new(3, 64);
        pool1 = nn.MaxPool3d((1, 2, 2), stride: (1, 2, 2));
        conv2a = new(64, 128);
        pool2 = nn.MaxPool3d((2, 2, 2), stride: (2, 2, 2));
        conv3a = new(128, 256);
        conv3b = new(256, 256);
        pool3 = nn.MaxPool3d((2, 2, 2), stride: (2, 2, 2));
        conv4a = new(256, 512);
        conv4b = new(512, 512);
        pool4 = nn.MaxPool3d((2, 2, 2), stride: (2, 2, 2));
        conv5a = new(512, 512);
        conv5b = new(512, 512);
        pool5 = nn.MaxPool3d((2, 2, 2), stride: (2, 2, 2), padding: (0, 1, 1));
        fc6 = nn.Linear(FlattenedFeatures(frames, imageSize), HiddenWidth);
        fc7 = nn.Linear(HiddenWidth, HiddenWidth);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Elements per clip after pool5 (fc6's input): 512 × T/16 × (S/16/2 + 1)², e.g. 8192 at 16 × 112².</summary>
    public static long FlattenedFeatures(int frames, int imageSize)
    {
        long t = frames / 16;                  // pool2..pool5 halve time, pool1 keeps it
        long s = imageSize / 16 / 2 + 1;       // pool1..pool4 halve space, pool5 pads by 1 then halves
        return 512 * t * s * s;
    }

    /// <summary>x [B, 3, T, H, W] (mmaction2 normalisation) → features [B, 4096].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = pool1.call(conv1a.call(x));
        y = pool2.call(conv2a.call(y));
        y = pool3.call(conv3b.call(conv3a.call(y)));
        y = pool4.call(conv4b.call(conv4a.call(y)));
        y = pool5.call(conv5b.call(conv5a.call(y)));
        y = dropout.call(fc6.call(y.flatten(1)).relu_());
        return fc7.call(y).relu_().MoveToOuterDisposeScope();
    }
}
