using ReSpike.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// The fused LIF as a TorchSharp autograd Function: inputs (x [T, N...], v0 [N...], <see cref="FusedLifCall"/>),
/// outputs (spikes [T, N...], last membrane [N...]). For backward it keeps only references to its inputs x and v0 and
/// replays the membrane from them; SpikingJelly's CUDA kernel stores h [T, N...] instead, which costs 4 bytes per
/// neuron-step more whenever x is kept alive anyway (here: by the block's shortcut, or by the graph as the LIF input).
/// Use <see cref="FusedLif.Run"/>, which also handles the no-gradient case without a graph node.
/// First-order only: backward computes plain tensors (no graph), so double backward needs <see cref="Neurons.LifKernel.OpByOp"/>.
/// </summary>
internal sealed class FusedLifFunction : torch.autograd.MultiTensorFunction<FusedLifFunction>
{
    public override string Name => "FusedLIFBackward";

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var v0 = (Tensor)vars[1];
        var call = (FusedLifCall)vars[2];
        var spikes = torch.empty_like(x);
        var lastV = torch.empty_like(v0);
        call.ForwardHandles.AddRange([spikes, lastV]);
        FusedLif.RunForward(x, v0, spikes, lastV, call);
        ctx.save_for_backward([x, v0]);
        ctx.save_data(nameof(FusedLifCall), call);
        call.Context = ctx;
        ctx.set_materialize_grads(false);   // an unused output (often the last membrane) arrives as "no gradient"
        return [spikes, lastV];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        ReturnedGradients.ReleaseEarlier();
        var call = (FusedLifCall)ctx.get_data(nameof(FusedLifCall));
        var saved = SavedTensors.TakeOnce(ctx, Name);
        try
        {
            Tensor x = saved[0], v0 = saved[1];
            using var gradSpikes = Usable(gradOutputs[0]);
            using var gradLastV = Usable(gradOutputs[1]);
            var gradX = torch.empty_like(x);
            var gradV0 = call.InitialVRequiresGrad ? torch.empty_like(v0) : null;
            FusedLif.RunBackward(x, v0, gradSpikes, gradLastV, gradX, gradV0, call);
            return [ReturnedGradients.Track(gradX)!, ReturnedGradients.Track(gradV0)!, null!];
        }
        finally
        {
            foreach (var t in saved) t?.Dispose();
            foreach (var g in gradOutputs) g?.Dispose();
        }
    }

    /// <summary>A contiguous float32 view of an incoming gradient (expanded ones from sum(), say), or null when undefined.</summary>
    static Tensor? Usable(Tensor? grad)
    {
        if (grad is null || grad.IsInvalid) return null;
        return grad.is_contiguous() && grad.dtype == ScalarType.Float32 ? grad.alias() : grad.to_type(ScalarType.Float32).contiguous();
    }
}
