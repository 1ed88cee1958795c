using System.Numerics;

namespace ReSpike.Spiking.Kernels;

/// <summary>Sigmoid: primitive sigmoid(alpha u); autograd computes (g (1 - y) y) alpha with y = sigmoid(alpha u).</summary>
internal readonly struct SigmoidSurrogateKernel(double alpha) : ISurrogateKernel
{
    readonly float alpha = (float)alpha;

    public Vector<float> Backward(Vector<float> gradSpike, Vector<float> u)
    {
        var y = Vector<float>.One / (Vector<float>.One + Vector.Exp(-(u * alpha)));
        return gradSpike * (Vector<float>.One - y) * y * alpha;
    }

    public float Backward(float gradSpike, float u)
    {
        float y = 1f / (1f + MathF.Exp(-(u * alpha)));
        return gradSpike * (1f - y) * y * alpha;
    }
}
