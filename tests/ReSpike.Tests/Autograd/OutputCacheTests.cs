using ReSpike.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Autograd;

/// <summary>TorchSharp's per-output zero-gradient templates can be freed (the reflection matches the pinned TorchSharp).</summary>
public class OutputCacheTests
{
    sealed class Doubling : autograd.SingleTensorFunction<Doubling>
    {
        public static autograd.AutogradContext? Last;
        public override string Name => "Doubling";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Last = ctx;
            ctx.set_materialize_grads(false);
            return (Tensor)vars[0] * 2;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput) => [gradOutput * 2];
    }

    [Fact]
    public void The_templates_of_a_node_are_freed_and_backward_still_works()
    {
        using var x = torch.ones(5, 7).requires_grad_(true);
        using var y = Doubling.apply(x);
        Assert.Equal(1, OutputCache.Release(Doubling.Last!));   // -1 would mean TorchSharp's internals changed
        Assert.Equal(0, OutputCache.Release(Doubling.Last!));
        using var loss = (y * 3).sum();
        loss.backward();
        Assert.All(x.grad!.data<float>().ToArray(), g => Assert.Equal(6f, g));
    }
}
