using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using ReSpike.Spiking.Surrogates;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Spiking;

/// <summary>
/// The fused multi-step LIF kernel against the op-by-op neuron: spikes, membranes and voltage sequences bit-identical,
/// input gradients equal to float rounding, over shapes (vector body, scalar tail, parallel chunks), reset modes,
/// detach_reset, decay_input and surrogates.
/// </summary>
public class FusedLifTests
{
    /// <summary>max |a - b| / max |b|: gradients may differ by float rounding where autograd sums terms in another order.</summary>
    const double GradientTolerance = 1e-6;

    sealed record Outcome(float[] Spikes, float[] LastV, float[] Voltages, float[] GradX, long[] SpikeShape, bool SpikesRequireGrad);

    static LIFNode Neuron(double? vReset, bool detachReset, bool decayInput, SurrogateFunction? surrogate, LifKernel kernel) =>
        new(tau: 4.0 / 3.0, vThreshold: 1.0, vReset: vReset, decayInput: decayInput, detachReset: detachReset,
            surrogate: surrogate ?? new ATan(2.0), stepMode: StepMode.Multi) { Kernel = kernel, StoreVoltageSequence = true };

    /// <summary>Runs one neuron on x with loss = sum(spikes * w) + sum(v_last * wLast) and collects everything.</summary>
    static Outcome Run(LIFNode node, Tensor x, Tensor w, Tensor wLast)
    {
        using var input = x.detach().requires_grad_(true);
        using var spikes = node.forward(input);
        using var weighted = spikes * w;
        using var lastWeighted = node.V! * wLast;
        using var loss = weighted.sum() + lastWeighted.sum();
        loss.backward();
        return new Outcome(spikes.detach().data<float>().ToArray(), node.V!.detach().data<float>().ToArray(),
                           node.VoltageSequence!.data<float>().ToArray(), input.grad!.data<float>().ToArray(),
                           spikes.shape, spikes.requires_grad);
    }

    static (Tensor X, Tensor W, Tensor WLast) Inputs(long[] shape, int seed)
    {
        torch.manual_seed(seed);
        // drive in [-0.5, 2.5): about half the neurons fire at some step, some stay silent
        var x = torch.rand(shape) * 3.0f - 0.5f;
        var w = torch.randn(shape);
        var wLast = torch.randn(shape[1..]);
        return (x, w, wLast);
    }

    static void AssertGradientsClose(float[] fused, float[] reference)
    {
        Assert.Equal(reference.Length, fused.Length);
        double scale = reference.Max(v => Math.Abs((double)v));
        double worst = fused.Zip(reference, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(scale > 0, "the reference gradient is all zero: the test would prove nothing");
        Assert.True(worst <= GradientTolerance * scale, $"max |fused - op-by-op| = {worst:E3} exceeds {GradientTolerance:E0} x {scale:E3}");
    }

    static void AssertSameOutcome(Outcome fused, Outcome reference)
    {
        Assert.Equal(reference.SpikeShape, fused.SpikeShape);
        Assert.Equal(reference.Spikes, fused.Spikes);        // exact: bit-identical 0/1
        Assert.Equal(reference.LastV, fused.LastV);          // exact membrane
        Assert.Equal(reference.Voltages, fused.Voltages);    // exact post-reset potentials at every step
        Assert.True(fused.SpikesRequireGrad);
        AssertGradientsClose(fused.GradX, reference.GradX);
        Assert.Contains(1f, reference.Spikes);
        Assert.Contains(0f, reference.Spikes);
    }

    public static TheoryData<string, double?, bool, bool> Cases()
    {
        var data = new TheoryData<string, double?, bool, bool>();
        // shapes: scalar tail only (N < vector width), vector body + tail, long T, parallel chunks (whole ones, and a
        // partial last chunk ending in a scalar tail: 35003 = 8 x 4096 + 2235)
        string[] shapes = ["3x5", "1x33", "4x2x3x17", "12x2x16x40", "3x8x64x12x12", "3x35003"];
        foreach (var shape in shapes)
            foreach (double? vReset in new double?[] { 0.0, null })
                foreach (bool detach in new[] { true, false })
                    foreach (bool decay in new[] { true, false })
                        data.Add(shape, vReset, detach, decay);
        // a non-zero hard reset exercises the extra charge and reset terms
        data.Add("4x2x3x17", -0.3, true, true);
        data.Add("4x2x3x17", -0.3, false, false);
        return data;
    }

    static long[] ParseShape(string shape) => shape.Split('x').Select(long.Parse).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_kernel_matches_op_by_op_in_spikes_membranes_and_gradients(string shape, double? vReset, bool detachReset, bool decayInput)
    {
        var (x, w, wLast) = Inputs(ParseShape(shape), seed: shape.Length * 31 + (detachReset ? 1 : 0) + (decayInput ? 2 : 0));
        using (x) using (w) using (wLast)
        {
            using var opByOp = Neuron(vReset, detachReset, decayInput, null, LifKernel.OpByOp);
            using var fused = Neuron(vReset, detachReset, decayInput, null, LifKernel.Fused);
            AssertSameOutcome(Run(fused, x, w, wLast), Run(opByOp, x, w, wLast));
        }
    }

    [Theory]
    [InlineData("sigmoid:4")]
    [InlineData("rectangle:1")]
    [InlineData("triangle:1")]
    [InlineData("atan:5")]
    public void Every_surrogate_has_a_fused_backward_equal_to_autograd(string surrogate)
    {
        var (x, w, wLast) = Inputs([5, 3, 37], seed: 7);
        using (x) using (w) using (wLast)
        {
            using var opByOp = Neuron(0.0, false, true, Surrogate.Parse(surrogate), LifKernel.OpByOp);
            using var fused = Neuron(0.0, false, true, Surrogate.Parse(surrogate), LifKernel.Fused);
            AssertSameOutcome(Run(fused, x, w, wLast), Run(opByOp, x, w, wLast));
        }
    }

    [Fact]
    public void Gradient_of_the_spikes_alone_matches_when_the_last_membrane_is_unused()
    {
        // the last-membrane output then has no gradient at all (undefined, not zeros)
        var (x, w, _) = Inputs([3, 4, 50], seed: 5);
        using (x) using (w)
        {
            float[] Grad(LifKernel kernel)
            {
                using var node = Neuron(0.0, true, true, null, kernel);
                using var input = x.detach().requires_grad_(true);
                using var spikes = node.forward(input);
                using var loss = (spikes * w).sum();
                loss.backward();
                return input.grad!.data<float>().ToArray();
            }
            AssertGradientsClose(Grad(LifKernel.Fused), Grad(LifKernel.OpByOp));
        }
    }

    [Fact]
    public void Streaming_sequences_carry_state_and_gradient_across_calls()
    {
        // ResetBeforeSequence = false: the second call starts from the first call's membrane, which is part of the
        // graph, so the loss on the second call's spikes reaches the first call's input through v0.
        var (x, w, _) = Inputs([6, 2, 21], seed: 9);
        using (x) using (w)
        {
            (float[] Spikes, float[] Grad) Stream(LifKernel kernel)
            {
                using var node = Neuron(0.0, false, true, null, kernel);
                node.ResetBeforeSequence = false;
                using var input = x.detach().requires_grad_(true);
                using var firstHalf = input.narrow(0, 0, 3);
                using var secondHalf = input.narrow(0, 3, 3);
                using var s1 = node.forward(firstHalf);
                using var s2 = node.forward(secondHalf);
                using var all = torch.cat([s1, s2]);
                using var loss = (all * w).sum();
                loss.backward();
                return (all.detach().data<float>().ToArray(), input.grad!.data<float>().ToArray());
            }
            var fused = Stream(LifKernel.Fused);
            var reference = Stream(LifKernel.OpByOp);
            Assert.Equal(reference.Spikes, fused.Spikes);
            AssertGradientsClose(fused.Grad, reference.Grad);
            Assert.Contains(reference.Grad.Take(2 * 3 * 21), g => g != 0f); // the first call's input did get gradient
        }
    }

    [Fact]
    public void Without_gradients_the_fused_kernel_builds_no_graph_and_gives_the_same_spikes()
    {
        var (x, w, wLast) = Inputs([3, 4, 64], seed: 3);
        using (x) using (w) using (wLast)
        using (torch.no_grad())
        {
            using var fused = Neuron(0.0, true, true, null, LifKernel.Fused);
            using var opByOp = Neuron(0.0, true, true, null, LifKernel.OpByOp);
            using var input = x.detach().requires_grad_(true);
            using var a = fused.forward(input);
            using var b = opByOp.forward(input);
            Assert.False(a.requires_grad);
            TensorAssert.Equal(a, b);
            TensorAssert.Equal(fused.V!, opByOp.V!);
        }
    }

    [Fact]
    public void Input_exactly_at_threshold_fires_in_the_fused_kernel()
    {
        using var node = Neuron(0.0, true, true, null, LifKernel.Fused);
        using var x = torch.full([2, 11], (float)(4.0 / 3.0));   // h = x / tau = 1 exactly at t = 0, then again after the reset
        using var s = node.forward(x);
        Assert.All(s.data<float>().ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Auto_falls_back_to_op_by_op_for_float64_and_forcing_the_kernel_says_why()
    {
        using var x = torch.rand([3, 10], dtype: ScalarType.Float64) * 2.0;
        using var auto = Neuron(0.0, true, true, null, LifKernel.Auto);
        using var reference = Neuron(0.0, true, true, null, LifKernel.OpByOp);
        using var a = auto.forward(x);
        using var b = reference.forward(x);
        Assert.Equal(ScalarType.Float64, a.dtype);
        TensorAssert.Equal(a, b);
        Assert.Contains("Float64", auto.FusedKernelUnsupportedReason(x));

        using var forced = Neuron(0.0, true, true, null, LifKernel.Fused);
        var error = Assert.Throws<NotSupportedException>(() => forced.forward(x));
        Assert.Contains("Float64", error.Message);
    }

    [Fact]
    public void The_respike_neuron_uses_the_fused_kernel_by_default_for_float32()
    {
        using var node = LIFNode.ReSpike(StepMode.Multi);
        using var x = torch.rand([3, 2, 8]);
        Assert.Equal(LifKernel.Auto, node.Kernel);
        Assert.Null(node.FusedKernelUnsupportedReason(x));
    }

    [Fact]
    public void SetLifKernel_reaches_every_lif_neuron_in_a_tree()
    {
        var a = LIFNode.ReSpike(StepMode.Multi, "a");
        var b = LIFNode.ReSpike(StepMode.Multi, "b");
        using var net = nn.Sequential(("a", a), ("inner", nn.Sequential(("b", b))));
        Functional.SetLifKernel(net, LifKernel.OpByOp);
        Assert.Equal(LifKernel.OpByOp, a.Kernel);
        Assert.Equal(LifKernel.OpByOp, b.Kernel);
    }
}
