using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// The fused LIF as a TorchSharp autograd Function: inputs (x [T, N...], v0 [N...], <see cref="FusedLifCall"/>),
/// outputs (spikes [T, N...], last membrane [N...]). Saves only the pre-spike potential h [T, N...] (float32) for
/// backward; spikes are recomputed from it (h &gt;= v_th), as SpikingJelly's CUDA kernel does.
/// Use <see cref="FusedLif.Run"/>, which also handles the no-gradient case without a graph node.
/// </summary>
internal sealed class FusedLifFunction : torch.autograd.MultiTensorFunction<FusedLifFunction>
{
    /// <summary>
    /// Gradients this thread returned to libtorch from earlier backward calls. libtorch copies them as soon as a
    /// call returns, so the next call on the thread can release our handles; without this they would hold their
    /// memory until the .NET finalizer runs (when no DisposeScope is active around backward()).
    /// </summary>
    [ThreadStatic] static List<Tensor>? returnedGradients;

    public override string Name => "FusedLIFBackward";

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var v0 = (Tensor)vars[1];
        var call = (FusedLifCall)vars[2];
        var spikes = torch.empty_like(x);
        var preSpike = torch.empty_like(x);
        var lastV = torch.empty_like(v0);
        call.ForwardHandles.AddRange([spikes, preSpike, lastV]);
        FusedLif.RunForward(x, v0, spikes, preSpike, lastV, call);
        ctx.save_for_backward([preSpike]);
        ctx.save_data(nameof(FusedLifCall), call);
        ctx.set_materialize_grads(false);   // an unused output (often the last membrane) arrives as "no gradient"
        return [spikes, lastV];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        ReleaseReturnedGradients();
        var call = (FusedLifCall)ctx.get_data(nameof(FusedLifCall));
        var saved = ctx.get_saved_variables();
        try
        {
            var preSpike = saved[0];
            using var gradSpikes = Usable(gradOutputs[0]);
            using var gradLastV = Usable(gradOutputs[1]);
            long neuronsPerStep = preSpike.numel() / preSpike.shape[0];
            var gradX = torch.empty_like(preSpike);
            var gradV0 = call.InitialVRequiresGrad ? torch.empty(preSpike.shape[1..], dtype: ScalarType.Float32) : null;
            FusedLif.RunBackward(gradSpikes, gradLastV, preSpike, gradX, gradV0, call, (int)preSpike.shape[0], neuronsPerStep);
            (returnedGradients ??= []).Add(gradX);
            if (gradV0 is not null) returnedGradients.Add(gradV0);
            return [gradX, gradV0!, null!];
        }
        finally
        {
            foreach (var t in saved) t?.Dispose();
            foreach (var g in gradOutputs) g?.Dispose();
        }
    }

    static void ReleaseReturnedGradients()
    {
        if (returnedGradients is null) return;
        foreach (var g in returnedGradients) g.Dispose();
        returnedGradients.Clear();
    }

    /// <summary>A contiguous float32 view of an incoming gradient (expanded ones from sum(), say), or null when undefined.</summary>
    static Tensor? Usable(Tensor? grad)
    {
        if (grad is null || grad.IsInvalid) return null;
        return grad.is_contiguous() && grad.dtype == ScalarType.Float32 ? grad.alias() : grad.to_type(ScalarType.Float32).contiguous();
    }
}
