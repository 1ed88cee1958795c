using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// PyTorch's nn.init.trunc_normal_ (inverse-CDF sampling: uniform between the CDF values of the bounds, erfinv,
/// scale, clamp). TorchSharp 0.107's trunc_normal_ fills the tensor with the std itself, so the official init
/// is reproduced here.
/// </summary>
public static class TruncatedNormal
{
    /// <summary>Fills <paramref name="tensor"/> in place with N(mean, std²) truncated to [a, b] (absolute bounds, as PyTorch's).</summary>
    public static Tensor Fill(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2)
    {
        using var _ = no_grad();
        static double Cdf(double x) => (1 + Erf(x / Math.Sqrt(2))) / 2;
        double low = Cdf((a - mean) / std), high = Cdf((b - mean) / std);
        tensor.uniform_(2 * low - 1, 2 * high - 1);
        tensor.erfinv_();
        tensor.mul_(std * Math.Sqrt(2));
        tensor.add_(mean);
        return tensor.clamp_(a, b);
    }

    // .NET has no erf; Numerical Recipes' Chebyshev fit of erfc (|error| < 1.2e-7) is ample: it only places the
    // bounds of the uniform range, which at std 0.02 and bounds ±2 are 1 - 1e-20 away from ±1 anyway
    static double Erf(double x)
    {
        double t = 1 / (1 + 0.5 * Math.Abs(x));
        double y = 1 - t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                   t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }
}
