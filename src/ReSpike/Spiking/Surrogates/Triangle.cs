using static TorchSharp.torch;

namespace ReSpike.Spiking.Surrogates;

/// <summary>
/// Triangle as in TET: g'(u) = max(0, gamma - |u|) / gamma^2. Its primitive, with c = clamp(u, -gamma, gamma),
/// is g(u) = 1/2 + c/gamma - c|c|/(2 gamma^2).
/// </summary>
public sealed class Triangle(double gamma = 1.0) : SurrogateFunction
{
    public double Gamma { get; } = gamma > 0 ? gamma : throw new ArgumentOutOfRangeException(nameof(gamma), "gamma must be > 0");
    public override string Name => "triangle";
    public override (string Name, double Value) Parameter => ("gamma", Gamma);

    public override Tensor Primitive(Tensor u)
    {
        using var c = u.clamp(-Gamma, Gamma);
        using var magnitude = c.abs();
        using var quadratic = (c * magnitude).mul_(-1.0 / (2 * Gamma * Gamma));
        var linear = c / Gamma; // returned: in-place ops below hand back this same tensor
        return linear.add_(quadratic).add_(0.5);
    }

    public override Tensor Gradient(Tensor u)
    {
        using var magnitude = u.abs();
        var distance = Gamma - magnitude; // returned after in-place clamp and scale
        return distance.clamp_min_(0.0).div_(Gamma * Gamma);
    }

    public override double Gradient(double u) => Math.Max(0.0, Gamma - Math.Abs(u)) / (Gamma * Gamma);
}
