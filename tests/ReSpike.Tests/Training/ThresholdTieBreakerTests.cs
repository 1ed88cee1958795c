using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using ReSpike.Training.Parity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Tests.Training;

/// <summary>
/// The tie breaker of `parity --train`: a site whose membrane lands within float32 rounding of the threshold is
/// decided as the reference's logits require, and nothing else is forced.
/// </summary>
public class ThresholdTieBreakerTests
{
    sealed class TinySpiking : nn.Module<Tensor, Tensor>
    {
        readonly LIFNode lif = LIFNode.ReSpike(StepMode.Multi);
        readonly Linear fc = nn.Linear(8, 3);

        public TinySpiking() : base(nameof(TinySpiking)) => RegisterComponents();

        // x [T, N, 8] -> spikes -> mean over time -> logits [N, 3]
        public override Tensor forward(Tensor x) => fc.call(lif.call(x).mean([0]));
    }

    /// <summary>Inputs in [0, 2) with site (t 0, sample 0, feature 3) put so h = 1 + margin exactly at step 0 (v starts at 0).</summary>
    static Tensor Input(double margin)
    {
        var x = torch.rand(3, 2, 8, generator: new Generator(5)) * 2;
        x[0, 0, 3] = (float)((1.0 + margin) * (4.0 / 3.0)); // h = x / tau for the ReSpike LIF (tau 4/3) from rest
        return x;
    }

    [Fact]
    public void A_site_on_the_threshold_is_decided_as_the_reference_logits_require()
    {
        torch.manual_seed(3);
        using var net = new TinySpiking();
        using var x = Input(-5e-7);          // ours stays silent at that site
        using var xReference = Input(5e-7);  // the "reference" fired there
        using var referenceLogits = net.call(xReference).detach();
        using (var plain = net.call(x))
            Assert.True((plain - referenceLogits).abs().max().item<float>() > 1e-3, "the flip must be visible in the logits");

        using var breaker = new ThresholdTieBreaker(net);
        double error = breaker.Resolve(() => net.call(x), referenceLogits, tolerance: 1e-6);

        Assert.True(error <= 1e-6, $"logits error after breaking the tie: {error:E2}");
        var tie = Assert.Single(breaker.Forced);
        Assert.Equal("lif", tie.Layer);
        Assert.Equal(3, tie.Index); // t 0, sample 0, feature 3 in the flattened [T, N*8] input
        Assert.True(tie.Spike);
        Assert.InRange(tie.Margin, -1e-6, 0);
        // while the breaker is attached the forced decision stays: the model now gives the reference's logits
        using var forced = net.call(x);
        Assert.True((forced - referenceLogits).abs().max().item<float>() <= 1e-6 * referenceLogits.abs().max().item<float>());
    }

    [Fact]
    public void A_difference_no_tie_explains_is_left_as_a_difference()
    {
        torch.manual_seed(3);
        using var net = new TinySpiking();
        using var x = Input(-0.25);           // far from the threshold: no candidate
        using var referenceLogits = (net.call(x) + 1.0f).detach();

        using var breaker = new ThresholdTieBreaker(net);
        double error = breaker.Resolve(() => net.call(x), referenceLogits, tolerance: 1e-6);

        Assert.Empty(breaker.Forced);
        Assert.True(error > 1e-2, $"error {error:E2}");
    }
}
