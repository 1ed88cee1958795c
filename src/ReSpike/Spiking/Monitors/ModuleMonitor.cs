using ReSpike.Autograd;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Monitors;

/// <summary>
/// Base of the monitors that watch a network's forward passes (SpikingJelly's <c>monitor.BaseMonitor</c>): it attaches
/// forward hooks to chosen modules, calls the derived monitor only for real forwards while <see cref="Enabled"/>, and
/// removes every hook on <see cref="Dispose"/>. Forwards that a recompute-in-backward re-runs
/// (<see cref="Recomputation.InProgress"/>) are skipped: they rebuild a graph for gradients, not a new pass, so each
/// forward is seen once with or without recompute.
/// </summary>
public abstract class ModuleMonitor : IDisposable
{
    readonly List<Action> removers = [];

    /// <summary>Hooks stay attached but record nothing while false.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Number of hooks attached (one per watched module).</summary>
    public int WatchedLayers => removers.Count;

    /// <summary>Whether a forward happening now should be recorded.</summary>
    protected bool Recording => Enabled && !Recomputation.InProgress;

    /// <summary>The root (under its own name) and every submodule with its dotted path, each module once.</summary>
    protected static IEnumerable<(string Name, nn.Module Module)> Modules(nn.Module root) => ModuleTree.Named(root);

    /// <summary>Calls <paramref name="record"/> with the module's input and output after each recorded forward of it.</summary>
    protected void Watch(string name, nn.Module<Tensor, Tensor> module, Action<string, nn.Module, Tensor, Tensor> record)
    {
        var handle = module.register_forward_hook((m, input, output) =>
        {
            if (Recording) record(name, m, input, output);
            return output;
        });
        removers.Add(handle.remove);
    }

    /// <summary>Keeps a hook attached by the derived monitor itself (other signatures), so that disposing removes it too.</summary>
    protected void Attached(Action remove) => removers.Add(remove);

    /// <summary>Forgets everything recorded so far (the hooks stay).</summary>
    public abstract void Reset();

    /// <summary>Removes every hook: forwards after this are not seen.</summary>
    public void Dispose()
    {
        foreach (var remove in removers) remove();
        removers.Clear();
        Disposed();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the derived monitor holds once the hooks are gone.</summary>
    protected virtual void Disposed() { }
}
