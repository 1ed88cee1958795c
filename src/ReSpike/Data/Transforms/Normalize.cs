using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>Scales 0..255 to 0..1 and normalises per channel (ImageNet statistics by default, as the reference).</summary>
public sealed class Normalize : IClipStep
{
    public static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];
    public static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];

    readonly float[] _scale = new float[3], _shift = new float[3];

    public Normalize(double[]? mean = null, double[]? std = null)
    {
        mean ??= ImageNetMean;
        std ??= ImageNetStd;
        for (int c = 0; c < 3; c++)
        {
            // (x/255 - m)/s folded into one multiply-add
            _scale[c] = (float)(1.0 / (255.0 * std[c]));
            _shift[c] = (float)(-mean[c] / std[c]);
        }
    }

    public Tensor Apply(Tensor clip, Random rng)
    {
        using var scale = torch.tensor(_scale).view(1, 3, 1, 1);
        using var shift = torch.tensor(_shift).view(1, 3, 1, 1);
        // add_ returns the same tensor: it is the result, so it must not be disposed here
        var scaled = clip * scale;
        return scaled.add_(shift);
    }
}
