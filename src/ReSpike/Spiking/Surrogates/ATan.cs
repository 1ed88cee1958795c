using static TorchSharp.torch;

namespace ReSpike.Spiking.Surrogates;

/// <summary>
/// SpikingJelly's ATan: g(u) = atan(pi/2 * alpha * u)/pi + 1/2, g'(u) = (alpha/2) / (1 + (pi/2 * alpha * u)^2).
/// With the default alpha = 2 the gradient is 1 / (1 + (pi*u)^2). ReSpike's neuron uses it.
/// </summary>
public sealed class ATan(double alpha = 2.0) : SurrogateFunction
{
    public double Alpha { get; } = alpha > 0 ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be > 0");
    public override string Name => "atan";
    public override (string Name, double Value) Parameter => ("alpha", Alpha);

    public override Tensor Primitive(Tensor u)
    {
        using var scaled = u * (Math.PI / 2 * Alpha);
        using var angle = scaled.atan_();
        using var ratio = angle.div_(Math.PI);
        return ratio + 0.5;
    }

    public override Tensor Gradient(Tensor u)
    {
        using var scaled = u * (Math.PI / 2 * Alpha);
        using var squared = scaled.square();
        using var denominator = squared.add_(1.0);
        return denominator.reciprocal().mul_(Alpha / 2);
    }

    public override double Gradient(double u)
    {
        double z = Math.PI / 2 * Alpha * u;
        return Alpha / 2 / (1 + z * z);
    }
}
