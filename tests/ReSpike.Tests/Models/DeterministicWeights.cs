using ReSpike.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

/// <summary>
/// The weight formula of Fixtures/parity/generate.py, bit for bit: values come from a lowbias32 integer hash
/// of (element index + FNV-1a of the reference parameter name), scaled per kind of tensor in float64 and
/// rounded once to float32, so Python and C# produce identical tensors without shipping 120 MB of weights.
/// </summary>
static class DeterministicWeights
{
    public static uint Fnv1a(string name)
    {
        uint h = 0x811C9DC5;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name)) h = (h ^ b) * 0x01000193;
        return h;
    }

    public static double[] Uniform(string name, long n)
    {
        var result = new double[n];
        uint seed = Fnv1a(name);
        for (long i = 0; i < n; i++)
        {
            uint x = (uint)i + seed;
            x ^= x >> 16; x *= 0x7FEB352D;
            x ^= x >> 15; x *= 0x846CA68B;
            x ^= x >> 16;
            result[i] = x / 4294967296.0;
        }
        return result;
    }

    /// <summary>The value the generator gives the reference tensor <paramref name="name"/> of this shape.</summary>
    public static Tensor Value(string name, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        string leaf = name[(name.LastIndexOf('.') + 1)..];
        if (leaf == "num_batches_tracked") return zeros(shape, dtype: ScalarType.Int64);
        var u = Uniform(name, n);
        Func<double, double> f = leaf switch
        {
            "running_var" => x => 1.0 + 0.5 * x,
            "running_mean" => x => 0.1 * (2.0 * x - 1.0),
            _ when shape.Length >= 2 => x => (2.0 * x - 1.0) * Math.Sqrt(6.0 / (n / shape[0])),
            "weight" => x => 1.0 + 0.1 * (2.0 * x - 1.0),
            _ => x => 0.05 * (2.0 * x - 1.0),
        };
        var values = u.Select(x => (float)f(x)).ToArray();
        return tensor(values).reshape(shape);
    }

    /// <summary>Sets every parameter and buffer of <paramref name="net"/> to the generator's value for its reference name; returns how many.</summary>
    public static int Fill(ReSpikeNet net)
    {
        int filled = 0;
        using var _ = torch.no_grad();
        foreach (var (name, target) in net.state_dict())
        {
            var reference = ReferenceNames.ToReference(name) ?? throw new Xunit.Sdk.XunitException($"no reference name for {name}");
            Assert.Equal(name, ReferenceNames.ToOurs(reference));
            using var value = Value(reference, target.shape);
            target.copy_(value);
            filled++;
        }
        return filled;
    }

    /// <summary>
    /// A tensor's L2 norm and its dot product with the probe vector "probe:name" (uniform in [-1, 1)), in float64,
    /// as generate_train.py computes them, plus the probe's own norm (for the bound |Δ·probe| ≤ ‖Δ‖‖probe‖).
    /// </summary>
    public static (double Norm, double Projection, double ProbeNorm) Digest(string name, Tensor t)
    {
        using var a = t.detach().to_type(ScalarType.Float64).flatten();
        var probe = Uniform("probe:" + name, a.numel()).Select(x => 2.0 * x - 1.0).ToArray();
        using var p = tensor(probe, dtype: ScalarType.Float64);
        return (a.norm().item<double>(), a.dot(p).item<double>(), p.norm().item<double>());
    }

    public static Tensor Clip(long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = Uniform("clip", n).Select(x => (float)(2.0 * (2.0 * x - 1.0))).ToArray();
        return tensor(values).reshape(shape);
    }

    /// <summary>
    /// Both digest numbers of a tensor within what a relative L2 error of 1e-4 allows against <paramref name="expected"/>
    /// (norm, projection) from another implementation: |Δ‖·‖| and |Δ·probe|/‖probe‖ are ≤ ‖Δ‖.
    /// </summary>
    public static void AssertDigestMatches(string what, double[] expected, (double Norm, double Projection, double ProbeNorm) actual, string source)
    {
        double bound = 1e-4 * expected[0] + 1e-12;
        Assert.True(Math.Abs(actual.Norm - expected[0]) <= bound, $"{what}: L2 norm {actual.Norm:G9} vs {source} {expected[0]:G9}");
        Assert.True(Math.Abs(actual.Projection - expected[1]) <= bound * actual.ProbeNorm,
            $"{what}: projection on the probe {actual.Projection:G9} vs {source} {expected[1]:G9}");
    }
}
