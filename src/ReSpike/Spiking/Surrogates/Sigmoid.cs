using static TorchSharp.torch;

namespace ReSpike.Spiking.Surrogates;

/// <summary>SpikingJelly's Sigmoid: g(u) = sigmoid(alpha*u), g'(u) = alpha * sigmoid(alpha*u) * (1 - sigmoid(alpha*u)).</summary>
public sealed class Sigmoid(double alpha = 4.0) : SurrogateFunction
{
    public double Alpha { get; } = alpha > 0 ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be > 0");
    public override string Name => "sigmoid";
    public override (string Name, double Value) Parameter => ("alpha", Alpha);

    public override Tensor Primitive(Tensor u)
    {
        using var scaled = u * Alpha;
        return scaled.sigmoid();
    }

    public override Tensor Gradient(Tensor u)
    {
        using var sg = Primitive(u);
        using var complement = 1.0 - sg;
        return (sg * complement).mul_(Alpha);
    }

    public override double Gradient(double u)
    {
        double sg = 1 / (1 + Math.Exp(-Alpha * u));
        return Alpha * sg * (1 - sg);
    }
}
