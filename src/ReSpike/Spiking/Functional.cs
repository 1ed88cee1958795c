using TorchSharp;

namespace ReSpike.Spiking;

/// <summary>Operations over whole module trees (SpikingJelly's functional package).</summary>
public static class Functional
{
    /// <summary>Resets every <see cref="IMemoryModule"/> in the tree, the root included. Returns how many were reset.</summary>
    public static int ResetNet(torch.nn.Module root)
    {
        int count = 0;
        foreach (var module in root.modules())
        {
            if (module is IMemoryModule memory)
            {
                memory.ResetState();
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// Scopes one independent sample sequence: resets the network now and again when disposed, so no state
    /// (and no autograd graph) leaks from one sequence into the next. The safe way to drive single-step neurons:
    /// <code>using (Functional.Episode(net)) { for (t...) y = net.forward(x[t]); }</code>
    /// </summary>
    public static IDisposable Episode(torch.nn.Module root)
    {
        ResetNet(root);
        return new EpisodeScope(root);
    }

    /// <summary>Sets the step mode of every neuron in the tree.</summary>
    public static void SetStepMode(torch.nn.Module root, StepMode mode)
    {
        foreach (var module in root.modules())
            if (module is Neurons.BaseNode node) node.StepMode = mode;
    }

    /// <summary>Chooses how every LIF neuron in the tree runs multi-step sequences (fused kernel or op-by-op).</summary>
    public static void SetLifKernel(torch.nn.Module root, Neurons.LifKernel kernel)
    {
        foreach (var module in root.modules())
            if (module is Neurons.LIFNode lif) lif.Kernel = kernel;
    }

    /// <summary>Chooses how every spike-input convolution in the tree computes (event-driven when it pays, dense, or event-driven).</summary>
    public static void SetSpikeConvolution(torch.nn.Module root, Layers.SpikeConvolution mode)
    {
        foreach (var module in root.modules())
            if (module is Layers.SpikeDrivenConv2d conv) conv.Mode = mode;
    }

    /// <summary>Sets whether every spiking block in the tree recomputes its spike-input layers in backward (<see cref="IRecomputesSpikeLayers"/>).</summary>
    /// <returns>How many blocks were set.</returns>
    public static int SetRecomputeSpikeLayers(torch.nn.Module root, bool recompute)
    {
        int count = 0;
        foreach (var module in root.modules().Prepend(root))
        {
            if (module is not IRecomputesSpikeLayers block) continue;
            block.RecomputeSpikeLayers = recompute;
            count++;
        }
        return count;
    }

    /// <summary>
    /// Drops every weight-derived cache in the tree (the spike convolutions' event columns): call it after writing weights in
    /// place while the model is in eval mode. Mode switches and <see cref="IO.StateDict"/>'s loads do it already.
    /// </summary>
    public static void ForgetWeightCaches(torch.nn.Module root)
    {
        // modules() lists the descendants only
        foreach (var module in root.modules().Prepend(root))
            if (module is Layers.SpikeDrivenConv2d conv) conv.ForgetWeightColumns();
    }

    sealed class EpisodeScope(torch.nn.Module root) : IDisposable
    {
        bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            ResetNet(root);
        }
    }
}
