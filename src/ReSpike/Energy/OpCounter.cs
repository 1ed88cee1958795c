using ReSpike.Autograd;
using ReSpike.Models.Fusion;
using ReSpike.Models.SpikingResformer;
using ReSpike.Spiking.Monitors;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Energy;

/// <summary>
/// Counts the operations of real forward passes through forward hooks on every convolution, linear, norm,
/// pooling, upsampling and attention module of a network (attention: its Q K^T and A V products, which run in
/// a functional kernel, counted from the shapes the module saw). A layer whose input is spikes is spike-driven:
/// its ops count as accumulates scaled by the measured input firing rate; otherwise as MACs. Spikes are 0/1
/// tensors with at least one spike, or all-zero tensors that are (views of) a live spiking neuron's output; an
/// all-zero tensor from anywhere else (e.g. a conv whose input never spiked, feeding a BatchNorm) is real-valued.
/// On real-valued input, plain adds/compares (pooling, norm statistics) are kept apart from the multiply-adds.
/// Attach, run any forward loop (training too), read <see cref="Layers"/>; disposing removes every hook. Calls made
/// while a recompute-in-backward re-runs a block (<see cref="Recomputation.InProgress"/>) are not counted: each
/// forward counts once, with or without recompute.
/// </summary>
public sealed class OpCounter : ModuleMonitor
{
    readonly Dictionary<string, Tally> tallies = [];
    readonly List<string> order = [];
    // outputs of spiking neurons, as handed to the caller: while one is undisposed its storage cannot be reused
    readonly List<Tensor> neuronOutputs = [];

    /// <param name="root">The network; its own module counts too when it is a countable layer.</param>
    /// <param name="branchOf">Branch of a module path; default: <see cref="Branches.Of"/> (ReSpikeNet names).</param>
    public OpCounter(nn.Module root, Func<string, Branch>? branchOf = null)
    {
        branchOf ??= Branches.Of;
        foreach (var (name, module) in Modules(root)) Attach(name, module, branchOf(name));
    }

    /// <summary>Totals over every call since construction or <see cref="Reset"/>, in first-call order.</summary>
    public IReadOnlyList<LayerOps> Layers => order.Select(n => tallies[n].ToLayerOps(n)).ToList();

    public override void Reset()
    {
        tallies.Clear();
        order.Clear();
        neuronOutputs.Clear();
    }

    protected override void Disposed() => neuronOutputs.Clear();

    void Attach(string name, nn.Module module, Branch branch)
    {
        switch (module)
        {
            case Attention attention:
                var attentionHook = attention.register_forward_hook((m, x, context, output) =>
                {
                    if (Recording) CountAttention(name, branch, attention, x, context);
                    return output;
                });
                Attached(attentionHook.remove);
                break;
            case SpikeRightMatmul matmul:
                var matmulHook = matmul.register_forward_hook((m, left, right, output) =>
                {
                    if (Recording) CountSpikeMatmul(name, branch, left, right, output);
                    return output;
                });
                Attached(matmulHook.remove);
                break;
            case BaseNode neuron:
                Watch(name, neuron, (_, _, _, spikes) =>
                {
                    neuronOutputs.RemoveAll(t => t.IsInvalid);
                    neuronOutputs.Add(spikes);
                });
                break;
            case nn.Module<Tensor, Tensor> layer when LayerOpRules.IsCounted(module):
                Watch(name, layer, (n, m, input, output) => CountLayer(n, branch, m, input, output));
                break;
        }
    }

    void CountLayer(string name, Branch branch, nn.Module module, Tensor input, Tensor output)
    {
        using var noGrad = torch.no_grad();   // counting during training must not join the graph
        var cost = LayerOpRules.Count(module, input, output);
        double spikes = SpikeTensor.IsBinary(input) ? SpikeTensor.Count(input) : -1;
        if (spikes > 0 || (spikes == 0 && FromNeuron(input)))
        {
            // every op of an input element happens only when that element spiked, and is then an add: ops x rate
            Add(name, cost.Kind, branch, cost.Ops, cost.Ops, cost.Ops * spikes / input.numel(), 0);
        }
        else
        {
            Add(name, cost.Kind, branch, cost.Ops, 0, 0, cost.Adds);
        }
    }

    bool FromNeuron(Tensor input)
    {
        var address = SpikeTensor.StorageAddress(input);
        if (address == IntPtr.Zero) return false;
        neuronOutputs.RemoveAll(t => t.IsInvalid);
        return neuronOutputs.Any(t => SpikeTensor.StorageAddress(t) == address);
    }

    void CountAttention(string name, Branch branch, Attention attention, Tensor x, Tensor? context)
    {
        long samples = x.shape[0], queries = x.shape[1];
        long keys = context?.shape[1] ?? queries;
        double ops = LayerOpRules.AttentionMatmulOps(samples, queries, keys, attention.Heads * Attention.HeadDim);
        // Q, K, V are projections (real-valued) even if the tokens were spikes: always MACs
        Add(name + ".qk", OpKind.AttentionMatmul, branch, ops, 0, 0, 0);
        Add(name + ".av", OpKind.AttentionMatmul, branch, ops, 0, 0, 0);
    }

    /// <summary>
    /// DSSA's product with spikes on the right: each spike of the right operand triggers one add per row of the left,
    /// so its ops count as accumulates scaled by the right operand's firing rate (real-valued right: MACs).
    /// </summary>
    void CountSpikeMatmul(string name, Branch branch, Tensor left, Tensor right, Tensor output)
    {
        using var noGrad = torch.no_grad();
        double ops = LayerOpRules.MatmulOps(left, output);
        double spikes = SpikeTensor.IsBinary(right) ? SpikeTensor.Count(right) : -1;
        if (spikes >= 0) Add(name, OpKind.AttentionMatmul, branch, ops, ops, ops * spikes / right.numel(), 0);
        else Add(name, OpKind.AttentionMatmul, branch, ops, 0, 0, 0);
    }

    void Add(string name, OpKind kind, Branch branch, double ops, double spikeOps, double acs, double adds)
    {
        if (!tallies.TryGetValue(name, out var tally))
        {
            tallies[name] = tally = new Tally(kind, branch);
            order.Add(name);
        }
        tally.Calls++;
        tally.Ops += ops;
        tally.SpikeOps += spikeOps;
        tally.Acs += acs;
        tally.Adds += adds;
    }

    sealed class Tally(OpKind kind, Branch branch)
    {
        public long Calls;
        public double Ops, SpikeOps, Acs, Adds;

        public LayerOps ToLayerOps(string name) => new(name, kind, branch, Calls, Ops, SpikeOps, Acs, Adds);
    }
}
