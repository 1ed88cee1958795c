using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// Gradient checkpointing for a side-effect-free two-input block (the reference ReSpike wraps its fusion blocks in
/// torch.utils.checkpoint): forward runs the block without recording a graph and keeps only its inputs; backward runs
/// the block again with a graph and back-propagates through that (reentrant backward, as PyTorch's checkpoint does),
/// so parameter gradients accumulate as usual. Trades one extra forward of the block for its activations.
/// The re-run is marked by <see cref="Recomputation"/> so forward hooks that count work see each forward once.
/// The block must be deterministic and free of state updates (no BatchNorm running statistics, no dropout).
/// Like PyTorch's reentrant checkpoint it serves loss.backward(): the block's parameter gradients always accumulate
/// into .grad, also under torch.autograd.grad.
/// </summary>
internal sealed class RecomputeInBackward : torch.autograd.SingleTensorFunction<RecomputeInBackward>
{
    /// <summary>The block and the handles forward created, passed through apply's argument list.</summary>
    internal sealed class Call(Func<Tensor, Tensor, Tensor> block, bool xRequiresGrad, bool contextRequiresGrad)
    {
        public Func<Tensor, Tensor, Tensor> Block { get; } = block;
        public bool XRequiresGrad { get; } = xRequiresGrad;
        public bool ContextRequiresGrad { get; } = contextRequiresGrad;
        public Tensor? Output { get; set; }
    }

    public override string Name => "RecomputeInBackward";

    /// <summary>block(x, context), recomputed during backward instead of keeping its activations.</summary>
    public static Tensor Run(Func<Tensor, Tensor, Tensor> block, Tensor x, Tensor context)
    {
        var call = new Call(block, x.requires_grad, context.requires_grad);
        try { return apply(x, context, call); }
        finally { call.Output?.Dispose(); }   // apply hands back its own handle to the same tensor
    }

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var context = (Tensor)vars[1];
        var call = (Call)vars[2];
        ctx.save_for_backward([x, context]);
        ctx.save_data(nameof(Call), call);
        call.Output = call.Block(x, context);   // apply runs forward with grad mode off: no graph, no activations kept
        return call.Output;
    }

    /// <summary>The block's forward again, marked so hooks that count forwards skip it.</summary>
    static Tensor Recompute(Func<Tensor, Tensor, Tensor> block, Tensor x, Tensor context)
    {
        using var recomputing = Recomputation.Enter();
        return block(x, context);
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ReturnedGradients.ReleaseEarlier();
        var call = (Call)ctx.get_data(nameof(Call));
        var saved = SavedTensors.TakeOnce(ctx, Name);
        try
        {
            using var gradMode = torch.enable_grad(true);
            using var x = saved[0].detach().requires_grad_(call.XRequiresGrad);
            using var context = saved[1].detach().requires_grad_(call.ContextRequiresGrad);
            using var output = Recompute(call.Block, x, context);
            output.backward([gradOutput]);
            return [ReturnedGradients.Track(call.XRequiresGrad ? x.grad : null)!,
                    ReturnedGradients.Track(call.ContextRequiresGrad ? context.grad : null)!,
                    null!];
        }
        finally
        {
            foreach (var t in saved) t?.Dispose();
            gradOutput.Dispose();
        }
    }
}
