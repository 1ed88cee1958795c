using static TorchSharp.torch;
using ReSpike.IO;

namespace ReSpike.Tests;

/// <summary>
/// Tensor assertions that throw on mismatch, so a call whose result is dropped still fails the test.
/// <see cref="AreIdentical"/> is the plain predicate, for tests that branch on it.
/// </summary>
static class TensorAssert
{
    /// <summary>Fails unless both tensors have the same shape and bit-identical values.</summary>
    public static void Equal(Tensor expected, Tensor actual, string? what = null)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            Assert.Fail($"{Label(what)}shape {ShapeText.Format(actual.shape)} differs from the expected {ShapeText.Format(expected.shape)}");
        if (AreIdentical(expected, actual)) return;
        using var diff = (actual.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).abs();
        using var mismatched = expected.ne(actual).sum();
        Assert.Fail($"{Label(what)}{mismatched.item<long>()} of {expected.numel()} values differ (max |diff| {diff.max().item<double>():E3})");
    }

    /// <summary>Fails if the tensors are bit-identical (same shape and values).</summary>
    public static void NotEqual(Tensor a, Tensor b, string? what = null)
    {
        if (AreIdentical(a, b)) Assert.Fail($"{Label(what)}the tensors are identical, expected them to differ");
    }

    /// <summary>Same shape and bit-identical values.</summary>
    public static bool AreIdentical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }

    static string Label(string? what) => what is null ? "" : what + ": ";
}
