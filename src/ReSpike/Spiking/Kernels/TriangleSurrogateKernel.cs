using System.Numerics;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// Triangle: primitive 1/2 + c/gamma - c|c|/(2 gamma^2) with c = clamp(u, -gamma, gamma). Autograd sums the three
/// paths into c (g/gamma, g k |c|, g k c sign(c), k = -1/(2 gamma^2)) and passes the sum where u lies in [-gamma, gamma].
/// </summary>
internal readonly struct TriangleSurrogateKernel(double gamma) : ISurrogateKernel
{
    readonly float gamma = (float)gamma;
    readonly float quadraticScale = (float)(-1.0 / (2 * gamma * gamma));

    public Vector<float> Backward(Vector<float> gradSpike, Vector<float> u)
    {
        var g = new Vector<float>(gamma);
        var c = Vector.Min(Vector.Max(u, -g), g);
        var quadraticGrad = gradSpike * quadraticScale;
        var sign = Vector.ConditionalSelect(Vector.GreaterThan(c, Vector<float>.Zero), Vector<float>.One,
                   Vector.ConditionalSelect(Vector.LessThan(c, Vector<float>.Zero), -Vector<float>.One, Vector<float>.Zero));
        var sum = gradSpike / g + quadraticGrad * Vector.Abs(c) + quadraticGrad * c * sign;
        var inside = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(u, -g), Vector.LessThanOrEqual(u, g));
        return Vector.ConditionalSelect(inside, sum, Vector<float>.Zero);
    }

    public float Backward(float gradSpike, float u)
    {
        float c = Math.Clamp(u, -gamma, gamma);
        float quadraticGrad = gradSpike * quadraticScale;
        float sign = c > 0f ? 1f : c < 0f ? -1f : 0f;   // MathF.Sign throws on NaN
        float sum = gradSpike / gamma + quadraticGrad * MathF.Abs(c) + quadraticGrad * c * sign;
        return u >= -gamma && u <= gamma ? sum : 0f;
    }
}
