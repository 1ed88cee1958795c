using static TorchSharp.torch;

namespace ReSpike.Spiking.Surrogates;

/// <summary>
/// Rectangular (straight-through) window as in STBP / MS-ResNet: g'(u) = 1/width for |u| &lt;= width/2, else 0.
/// g(u) = clamp(u/width + 1/2, 0, 1). The window edges are inclusive, as clamp's derivative is.
/// </summary>
public sealed class Rectangle(double width = 1.0) : SurrogateFunction
{
    public double Width { get; } = width > 0 ? width : throw new ArgumentOutOfRangeException(nameof(width), "width must be > 0");
    public override string Name => "rectangle";
    public override (string Name, double Value) Parameter => ("width", Width);

    public override Tensor Primitive(Tensor u)
    {
        using var scaled = u / Width;
        using var shifted = scaled.add_(0.5);
        return shifted.clamp(0.0, 1.0);
    }

    public override Tensor Gradient(Tensor u)
    {
        using var magnitude = u.abs();
        using var inside = magnitude.le(Width / 2);
        return inside.to_type(u.dtype).mul_(1.0 / Width);
    }

    public override double Gradient(double u) => Math.Abs(u) <= Width / 2 ? 1.0 / Width : 0.0;
}
