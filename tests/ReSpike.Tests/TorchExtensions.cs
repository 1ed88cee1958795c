using static TorchSharp.torch;

namespace ReSpike.Tests;

static class TorchExtensions
{
    /// <summary>Runs <paramref name="body"/> inside this no-grad guard and disposes the guard.</summary>
    public static Tensor Apply(this IDisposable guard, Func<Tensor> body)
    {
        using (guard) return body();
    }
}
