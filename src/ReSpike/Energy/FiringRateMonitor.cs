using ReSpike.Autograd;
using ReSpike.Spiking.Monitors;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>
/// Records the output spikes of every spiking neuron layer (<see cref="BaseNode"/>) through forward hooks:
/// per layer, spikes and neuron-steps summed over every call, so rates average over neurons, timesteps and
/// samples. Wrap any forward loop (training, evaluation): <c>using var monitor = new FiringRateMonitor(net);</c>
/// then <see cref="Snapshot"/>. Disposing removes the hooks. Neurons run again by a recompute-in-backward
/// (<see cref="Recomputation.InProgress"/>) are not recorded: each forward counts once.
/// </summary>
public sealed class FiringRateMonitor : ModuleMonitor
{
    readonly Dictionary<string, (long Calls, double Spikes, double Steps)> records = [];
    readonly List<string> order = [];

    public FiringRateMonitor(nn.Module root)
    {
        foreach (var (name, module) in Modules(root))
            if (module is BaseNode neuron) Watch(name, neuron, (n, _, _, spikes) => Record(n, spikes));
    }

    /// <summary>Rates so far, layers in first-call order.</summary>
    public FiringRates Snapshot() =>
        new(order.Select(n => new LayerFiringRate(n, records[n].Calls, records[n].Spikes, records[n].Steps)).ToList());

    public override void Reset()
    {
        records.Clear();
        order.Clear();
    }

    void Record(string name, Tensor spikes)
    {
        using var noGrad = torch.no_grad();   // also used while training: the count must not join the graph
        double count = SpikeTensor.Count(spikes);
        if (!records.TryGetValue(name, out var r)) order.Add(name);
        records[name] = (r.Calls + 1, r.Spikes + count, r.Steps + spikes.numel());
    }
}
