using static TorchSharp.torch;
using ReSpike.IO;

namespace ReSpike.Training.Parity;

/// <summary>
/// How far one of our tensors is from the reference's: relative L2 error ‖ours − ref‖ / ‖ref‖, or, when the
/// reference is all zeros (no scale to be relative to), the largest absolute difference.
/// </summary>
/// <param name="Name">The reference's tensor name (without the "grad."/"after." prefix).</param>
/// <param name="Error">Relative L2 error, or the absolute error when <paramref name="Absolute"/>.</param>
public sealed record TensorComparison(string Name, double Error, bool Absolute)
{
    /// <summary>Tolerances of the issue: 1e-4 relative; an all-zero reference by 1e-7 absolute.</summary>
    public const double RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-7;

    public bool Ok => Error <= (Absolute ? AbsoluteTolerance : RelativeTolerance);

    public static TensorComparison Of(string name, Tensor ours, Tensor reference)
    {
        if (!ours.shape.SequenceEqual(reference.shape))
            throw new InvalidDataException($"{name}: our shape {ShapeText.Format(ours.shape)} differs from the reference's {ShapeText.Format(reference.shape)}");
        using var a = ours.to_type(ScalarType.Float64);
        using var b = reference.to_type(ScalarType.Float64);
        using var diff = a - b;
        double scale = b.norm().item<double>();
        if (scale == 0) return new(name, diff.numel() == 0 ? 0 : diff.abs().max().item<double>(), Absolute: true);
        return new(name, diff.norm().item<double>() / scale, Absolute: false);
    }

    /// <summary>The largest relative error among the comparisons judged relatively (0 when none is).</summary>
    public static double MaxRelative(IEnumerable<TensorComparison> comparisons) =>
        comparisons.Where(c => !c.Absolute).Select(c => c.Error).DefaultIfEmpty(0).Max();

    /// <summary>The tensor furthest from its tolerance (relative errors over 1e-4, absolute over 1e-7); "" for none.</summary>
    public static string Worst(IEnumerable<TensorComparison> comparisons) =>
        comparisons.MaxBy(c => c.Error / (c.Absolute ? AbsoluteTolerance : RelativeTolerance))?.Name ?? "";
}
