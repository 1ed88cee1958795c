using static TorchSharp.torch;

namespace ReSpike.Benchmarks.Profiling;

/// <summary>
/// An identity in the autograd graph whose backward calls back: placed on a module's output it tells when that
/// module's backward starts (its output gradient is complete), placed on its input when it ends. The forward
/// copies its input; <see cref="ModuleTimeline"/> times those copies apart and leaves them out of the profile. libtorch runs
/// CPU backward on the calling thread, node after node, so the two callbacks bracket the module's backward.
/// </summary>
internal sealed class BackwardClock : autograd.SingleTensorFunction<BackwardClock>
{
    public override string Name => nameof(BackwardClock);

    /// <summary>x unchanged; <paramref name="onBackward"/> runs when the gradient of x arrives.</summary>
    public static Tensor Mark(Tensor x, Action onBackward) => apply(x, onBackward);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(nameof(Action), vars[1]);
        // a copy: layers modify their outputs in place (relu_, add_), which libtorch forbids on a custom function's view
        return ((Tensor)vars[0]).clone();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ((Action)ctx.get_data(nameof(Action)))();
        return [gradOutput, null!];
    }
}
