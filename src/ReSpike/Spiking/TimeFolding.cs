using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Spiking;

/// <summary>
/// Runs stateless layers over a multi-step tensor [T, N, ...] (SpikingJelly's SeqToANNContainer).
/// Convolutions, pooling and attention treat samples independently, so timesteps fold into the batch.
/// BatchNorm does not: in training its batch statistics depend on what shares the batch.
/// </summary>
public static class TimeFolding
{
    /// <summary>[T, N, ...] -> module([T*N, ...]) -> [T, N, ...].</summary>
    public static Tensor Fold(nn.Module<Tensor, Tensor> module, Tensor x)
    {
        long t = x.shape[0], n = x.shape[1];
        using var flat = x.flatten(0, 1);
        using var y = module.call(flat);
        return y.unflatten(0, [t, n]);
    }

    /// <summary>
    /// BatchNorm shared across timesteps with per-timestep batch statistics in training: the module is
    /// called once per timestep, so running statistics update T times per call, as in the step-by-step
    /// ReSpike reference. In evaluation (running statistics) this equals folding, which is faster.
    /// </summary>
    public static Tensor PerTimestep(nn.Module<Tensor, Tensor> batchNorm, Tensor x)
    {
        if (!batchNorm.training) return Fold(batchNorm, x);
        // unbind, not x[t]: its backward stacks the T gradients once, where T selects would each fill a zero tensor of x's size
        var steps = x.unbind(0);
        var outputs = new Tensor[steps.Length];
        try
        {
            for (int t = 0; t < steps.Length; t++) outputs[t] = batchNorm.call(steps[t]);
            return torch.stack(outputs);
        }
        finally
        {
            foreach (var o in outputs) o?.Dispose();
            foreach (var step in steps) step.Dispose();
        }
    }
}
