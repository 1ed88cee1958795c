using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// Gradient checkpointing for a layer run on spikes (a convolution and its BatchNorm): forward runs the layer without
/// recording a graph and keeps only its input, stored as one byte per spike instead of four when it is binary
/// (<see cref="SpikeStorage"/>); backward rebuilds the float input, runs the layer again with a graph and back-propagates
/// through it (reentrant backward, as <see cref="RecomputeInBackward"/>), so parameter gradients accumulate into .grad
/// as usual. Saves the layer's activations (the convolution's output, which BatchNorm keeps) and three quarters of its
/// input for one more forward of the layer. Gradients are bit-identical to the plain layer's: the re-run sees the same
/// input, weights and batch and runs the same kernels.
/// BatchNorm in training mode updates its running statistics on every call; the re-run restores them afterwards
/// (<see cref="BufferSnapshot"/>), so they change once per step, in forward. The re-run is marked by
/// <see cref="Recomputation"/> so hooks that count forwards see each forward once.
/// </summary>
internal sealed class RecomputeFromSpikes : torch.autograd.SingleTensorFunction<RecomputeFromSpikes>
{
    /// <summary>The layer and the handles forward created, passed through apply's argument list.</summary>
    internal sealed class Call(Func<Tensor, Tensor> layer, nn.Module stateful, bool inputRequiresGrad, ScalarType inputType)
    {
        public Func<Tensor, Tensor> Layer { get; } = layer;
        public nn.Module Stateful { get; } = stateful;
        public bool InputRequiresGrad { get; } = inputRequiresGrad;
        public ScalarType InputType { get; } = inputType;
        public Tensor? Output { get; set; }
        public Tensor? Stored { get; set; }
        public bool Anchored { get; set; }
        public torch.autograd.AutogradContext? Context { get; set; }
    }

    public override string Name => "RecomputeFromSpikes";

    /// <summary>
    /// layer(spikes), recomputed during backward from a compact copy of <paramref name="spikes"/>.
    /// <paramref name="stateful"/> holds every buffer the layer changes (its BatchNorm), restored after the re-run.
    /// </summary>
    public static Tensor Run(Func<Tensor, Tensor> layer, nn.Module stateful, Tensor spikes)
    {
        // a parameter as a second input makes the node part of the graph also when the input needs no gradient (the
        // stem's frames): TorchSharp records a function only if one of its tensor inputs requires grad
        var anchor = stateful.parameters().FirstOrDefault(p => p.requires_grad);
        if (!spikes.requires_grad && anchor is null) return layer(spikes);
        var call = new Call(layer, stateful, spikes.requires_grad, spikes.dtype) { Anchored = anchor is not null };
        try
        {
            var output = anchor is null ? apply(spikes, call) : apply(spikes, anchor, call);
            if (call.Context is { } ctx) OutputCache.Release(ctx);
            return output;
        }
        finally
        {
            call.Output?.Dispose();   // apply hands back its own handle to the same tensor
            call.Stored?.Dispose();   // the graph node saved the spikes when apply returned; it holds its own reference
        }
    }

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var spikes = (Tensor)vars[0];
        var call = (Call)vars[^1];
        call.Stored = SpikeStorage.Compact(spikes);
        ctx.save_for_backward([call.Stored]);
        ctx.save_data(nameof(Call), call);
        ctx.set_materialize_grads(false);   // an unused output arrives as "no gradient" (and TorchSharp's zero-gradient template can go)
        call.Context = ctx;
        call.Output = call.Layer(spikes);   // apply runs forward with grad mode off: no graph, no activations kept
        return call.Output;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ReturnedGradients.ReleaseEarlier();
        var call = (Call)ctx.get_data(nameof(Call));
        var saved = SavedTensors.TakeOnce(ctx, Name);
        try
        {
            using var gradMode = torch.enable_grad(true);
            // the layer's temporaries (the recomputed convolution output above all) go when the re-run ends, not at the next GC
            using var scope = torch.NewDisposeScope();
            var input = SpikeStorage.Restore(saved[0], call.InputType).requires_grad_(call.InputRequiresGrad);
            using (Recomputation.Enter())
            using (BufferSnapshot.Of(call.Stateful))
                call.Layer(input).backward([gradOutput]);
            var gradInput = call.InputRequiresGrad ? input.grad?.MoveToOuterDisposeScope() : null;
            // the anchor's gradient, like every parameter's, was accumulated into .grad by the re-run's backward
            return call.Anchored ? [ReturnedGradients.Track(gradInput)!, null!, null!] : [ReturnedGradients.Track(gradInput)!, null!];
        }
        finally
        {
            foreach (var t in saved) t?.Dispose();
            gradOutput.Dispose();
        }
    }
}
