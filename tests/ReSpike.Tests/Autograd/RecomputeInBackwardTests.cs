using ReSpike.Autograd;
using ReSpike.Models;
using ReSpike.Models.Fusion;
using ReSpike.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Autograd;

/// <summary>Recomputing a block in backward must give the gradients of keeping its graph.</summary>
public class RecomputeInBackwardTests
{
    static Dictionary<string, float[]> Gradients(nn.Module module) =>
        module.named_parameters().Where(p => p.parameter.grad is not null)
              .ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());

    static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-12, expected.Max(v => Math.Abs((double)v)));
        double worst = expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(worst <= 1e-6 * scale, $"{what}: max difference {worst:E3} vs scale {scale:E3}");
    }

    [Fact]
    public void Fusion_block_gradients_match_with_and_without_recompute()
    {
        torch.manual_seed(4);
        using var block = new SpatialTransformer(64, 32);
        NormInitialization.Apply(block);   // as every model does: TorchSharp may leave norm weights uninitialised
        using (torch.no_grad())
            foreach (var (name, p) in block.named_parameters())
                if (name.StartsWith("proj_out")) p.normal_(0, 0.02);   // non-zero so every path carries gradient
        using var x = torch.randn([6, 64, 5, 5]);
        using var context = torch.randn([3, 7, 32]);
        using var weights = torch.randn([6, 64, 5, 5]);

        (float[] X, float[] Context, Dictionary<string, float[]> Params, float[] Output) Run(bool recompute)
        {
            block.zero_grad();
            using var xi = x.detach().requires_grad_(true);
            using var ci = context.detach().requires_grad_(true);
            using var y = recompute ? RecomputeInBackward.Run(block.call, xi, ci) : block.call(xi, ci);
            using var loss = (y * weights).sum();
            loss.backward();
            return (xi.grad!.data<float>().ToArray(), ci.grad!.data<float>().ToArray(), Gradients(block), y.detach().data<float>().ToArray());
        }

        var direct = Run(recompute: false);
        var recomputed = Run(recompute: true);
        Assert.Equal(direct.Output, recomputed.Output);
        AssertClose(direct.X, recomputed.X, "dL/dx");
        AssertClose(direct.Context, recomputed.Context, "dL/dcontext");
        Assert.Equal(direct.Params.Keys.Order(), recomputed.Params.Keys.Order());
        Assert.True(direct.Params.Count >= 10);
        foreach (var (name, grad) in direct.Params) AssertClose(grad, recomputed.Params[name], name);
    }

    [Fact]
    public void Network_training_gradients_do_not_depend_on_fusion_recompute()
    {
        var config = new ReSpikeConfig { Variant = ModelVariant.ReSpike, NumClasses = 3, Stride = 2, Frames = 4, ImageSize = 32 };
        torch.manual_seed(6);
        using var clip = torch.randn([2, 4, 3, 32, 32]);
        using var labels = torch.tensor(new long[] { 1, 2 });

        Dictionary<string, float[]> Run(bool recompute)
        {
            torch.manual_seed(5);
            using var net = new ReSpikeNet(config) { RecomputeFusionInBackward = recompute };
            using (torch.no_grad())
                foreach (var (name, p) in net.named_parameters())
                    if (name.Contains("proj_out")) p.normal_(0, 0.02);
            net.train();
            using var loss = nn.functional.cross_entropy(net.call(clip), labels);
            loss.backward();
            return Gradients(net);
        }

        var direct = Run(false);
        var recomputed = Run(true);
        Assert.Equal(direct.Keys.Order(), recomputed.Keys.Order());
        foreach (var (name, grad) in direct) AssertClose(grad, recomputed[name], name);
        Assert.Contains(direct["fusions.1.ff_in.weight"], g => g != 0f);
    }
}
