using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>"normalize": scales 0..255 to 0..1 and normalises per channel (ImageNet statistics by default, as the reference).</summary>
public sealed class Normalize : IClipStep
{
    public static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];
    public static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];

    readonly float[] _scale = new float[3], _shift = new float[3];
    readonly double[] _mean, _std;

    public Normalize(double[]? mean = null, double[]? std = null)
    {
        _mean = (mean ?? ImageNetMean).ToArray();
        _std = (std ?? ImageNetStd).ToArray();
        if (_mean.Length != 3 || _std.Length != 3) throw new ArgumentException($"mean and std must hold 3 numbers (R, G, B), got {_mean.Length} and {_std.Length}");
        if (_std.Any(s => !(s > 0))) throw new ArgumentException($"std must be > 0, got [{string.Join(", ", _std)}]");
        for (int c = 0; c < 3; c++)
        {
            // (x/255 - m)/s folded into one multiply-add
            _scale[c] = (float)(1.0 / (255.0 * _std[c]));
            _shift[c] = (float)(-_mean[c] / _std[c]);
        }
    }

    public IReadOnlyList<double> Mean => _mean;
    public IReadOnlyList<double> Std => _std;

    public string Type => "normalize";
    public bool Draws => false;
    public int? OutputSize => null;

    public Tensor Apply(Tensor clip, Random rng)
    {
        using var scale = torch.tensor(_scale).view(1, 3, 1, 1);
        using var shift = torch.tensor(_shift).view(1, 3, 1, 1);
        var normalized = clip * scale;
        normalized.add_(shift); // in-place ops return the same tensor: it must not be disposed here
        return normalized;
    }

    Tensor[] IClipStep.ApplyViews(Tensor clip, Random rng) => [Apply(clip, rng)];

    public string Describe() => _mean.SequenceEqual(ImageNetMean) && _std.SequenceEqual(ImageNetStd)
        ? "Normalize(ImageNet)"
        : $"Normalize(mean=({string.Join(", ", _mean.Select(StepParameters.Format))}), std=({string.Join(", ", _std.Select(StepParameters.Format))}))";

    public void WriteParameters(Utf8JsonWriter json)
    {
        StepParameters.WriteNumbers(json, "mean", _mean);
        StepParameters.WriteNumbers(json, "std", _std);
    }

    internal static IClipStep Read(StepParameters p) => new Normalize(p.Doubles("mean", ImageNetMean, length: 3), p.Doubles("std", ImageNetStd, length: 3));
}
