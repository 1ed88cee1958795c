using System.Numerics;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// ATan: primitive atan(c u)/pi + 1/2 with c = pi/2 alpha. Autograd computes ((g / pi) / ((c u)^2 + 1)) * c;
/// this does the same float ops in the same order.
/// </summary>
internal readonly struct AtanSurrogateKernel(double alpha) : ISurrogateKernel
{
    readonly float scale = (float)(Math.PI / 2 * alpha);
    readonly float pi = (float)Math.PI;

    public Vector<float> Backward(Vector<float> gradSpike, Vector<float> u)
    {
        var scaled = u * scale;
        return gradSpike / new Vector<float>(pi) / (scaled * scaled + Vector<float>.One) * scale;
    }

    public float Backward(float gradSpike, float u)
    {
        float scaled = u * scale;
        return gradSpike / pi / (scaled * scaled + 1f) * scale;
    }
}
