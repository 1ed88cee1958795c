using System.Numerics;

namespace ReSpike.Spiking.Kernels;

/// <summary>Rectangle: primitive clamp(u/w + 1/2, 0, 1); autograd passes g where u/w + 1/2 lies in [0, 1], then divides by w.</summary>
internal readonly struct RectangleSurrogateKernel(double width) : ISurrogateKernel
{
    readonly float width = (float)width;

    public Vector<float> Backward(Vector<float> gradSpike, Vector<float> u)
    {
        var shifted = u / new Vector<float>(width) + new Vector<float>(0.5f);
        var inside = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(shifted, Vector<float>.Zero), Vector.LessThanOrEqual(shifted, Vector<float>.One));
        return Vector.ConditionalSelect(inside, gradSpike, Vector<float>.Zero) / new Vector<float>(width);
    }

    public float Backward(float gradSpike, float u)
    {
        float shifted = u / width + 0.5f;
        return (shifted >= 0f && shifted <= 1f ? gradSpike : 0f) / width;
    }
}
