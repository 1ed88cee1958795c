using ReSpike.Models.Fusion;
using ReSpike.Spiking.Monitors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Interpretability;

/// <summary>
/// Records the attention weights of one <see cref="Attention"/> module on every forward it watches: a forward hook
/// recomputes softmax(Q K^T / sqrt(d)) from the module's own inputs (<see cref="Attention.Weights"/>), so the forward's
/// fused path and its output are untouched. One CPU tensor [M, heads, n, m] per recorded forward.
/// </summary>
public sealed class AttentionMonitor : ModuleMonitor
{
    readonly List<Tensor> calls = [];

    public AttentionMonitor(Attention attention)
    {
        var hook = attention.register_forward_hook((_, x, context, output) =>
        {
            if (Recording) Record(attention, x, context);
            return output;
        });
        Attached(hook.remove);
    }

    /// <summary>The weights of each recorded forward, oldest first, [M, heads, n, m] on the CPU.</summary>
    public IReadOnlyList<Tensor> Calls => calls;

    void Record(Attention attention, Tensor x, Tensor? context)
    {
        using var noGrad = torch.no_grad();   // watching a training step must not join its graph
        using var weights = attention.Weights(x, context);
        // the hook runs inside the caller's dispose scope: the copy we keep must outlive it
        calls.Add(weights.to(float32, CPU, copy: true).DetachFromDisposeScope());
    }

    public override void Reset()
    {
        foreach (var t in calls) t.Dispose();
        calls.Clear();
    }

    protected override void Disposed() => Reset();
}
