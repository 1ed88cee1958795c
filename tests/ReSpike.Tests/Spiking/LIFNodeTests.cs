using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using ReSpike.Spiking.Surrogates;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Spiking;

public class LIFNodeTests
{
    static readonly double[] Drive = [1.5, 0.5, 2.0, 0.0, 4.0 / 3.0];

    static (double[] Spikes, double[] Voltages) RunMulti(BaseNode node, double[] x)
    {
        node.StepMode = StepMode.Multi;
        node.StoreVoltageSequence = true;
        using var input = torch.tensor(x, dtype: ScalarType.Float64).reshape(x.Length, 1);
        using var spikes = node.forward(input);
        return (spikes.data<double>().ToArray(), node.VoltageSequence!.data<double>().ToArray());
    }

    [Fact]
    public void ReSpike_neuron_hard_reset_matches_hand_computation()
    {
        // h = v + (x - v)/tau with tau = 4/3 (= 0.25 v + 0.75 x); fire at h >= 1; v = h (1 - s)
        // t1 h=1.125 fire; t2 h=0.375; t3 h=0.375+1.21875=1.59375 fire; t4 h=0; t5 h=1.0 exactly -> fires (>=)
        using var node = LIFNode.ReSpike();
        var (spikes, v) = RunMulti(node, Drive);
        Assert.Equal(new double[] { 1, 0, 1, 0, 1 }, spikes);
        double[] expected = [0.0, 0.375, 0.0, 0.0, 0.0];
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], v[t], 12);
    }

    [Fact]
    public void Soft_reset_subtracts_the_threshold()
    {
        // t1 h=1.125 fire v=.125; t2 h=.40625; t3 h=1.6015625 fire v=.6015625; t4 h=.150390625; t5 h=1.03759765625 fire
        using var node = new LIFNode(tau: 4.0 / 3.0, vThreshold: 1.0, vReset: null, decayInput: true, detachReset: true);
        var (spikes, v) = RunMulti(node, Drive);
        Assert.Equal(new double[] { 1, 0, 1, 0, 1 }, spikes);
        double[] expected = [0.125, 0.40625, 0.6015625, 0.150390625, 0.03759765625];
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], v[t], 12);
    }

    [Fact]
    public void Nonzero_reset_without_input_decay_follows_spikingjelly()
    {
        // v starts at v_reset = -0.5; h = v - (v - v_reset)/tau + x with tau = 2
        // t1 h = -0.5 + 1.2 = 0.7; t2 h = 0.7 - 0.6 + 0.3 = 0.4; t3 h = 0.4 - 0.45 + 1.5 = 1.45 fire -> v = -0.5
        using var node = new LIFNode(tau: 2.0, vThreshold: 1.0, vReset: -0.5, decayInput: false);
        var (spikes, v) = RunMulti(node, [1.2, 0.3, 1.5]);
        Assert.Equal(new double[] { 0, 0, 1 }, spikes);
        double[] expected = [0.7, 0.4, -0.5];
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], v[t], 12);
    }

    [Fact]
    public void Input_exactly_at_threshold_fires_in_float32()
    {
        using var node = LIFNode.ReSpike();
        using var x = torch.full(new long[] { 3 }, (float)(4.0 / 3.0)); // h = x / tau = 1 exactly
        using var s = node.forward(x);
        Assert.Equal(new float[] { 1, 1, 1 }, s.data<float>().ToArray());
    }

    [Fact]
    public void Single_step_and_multi_step_agree_in_spikes_and_gradients()
    {
        var generator = torch.manual_seed(3);
        using var x = torch.rand(new long[] { 6, 4, 5 }, dtype: ScalarType.Float64) * 2.5 - 0.5;
        using var weights = torch.randn(6, 4, 5, dtype: ScalarType.Float64);

        using var xMulti = x.detach().requires_grad_(true);
        using var multi = LIFNode.ReSpike(StepMode.Multi);
        using var spikesMulti = multi.forward(xMulti);
        (spikesMulti * weights).sum().backward();

        using var xSingle = x.detach().requires_grad_(true);
        using var single = LIFNode.ReSpike();
        var steps = new List<Tensor>();
        using (Functional.Episode(single))
            for (int t = 0; t < 6; t++) steps.Add(single.forward(xSingle[t]));
        using var spikesSingle = torch.stack(steps);
        (spikesSingle * weights).sum().backward();

        TensorAssert.Equal(spikesMulti, spikesSingle);
        TensorAssert.Equal(xMulti.grad!, xSingle.grad!);
        Assert.True(spikesMulti.sum().item<double>() > 0); // the test exercises firing
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bptt_gradient_matches_finite_difference_of_surrogate_relaxed_dynamics(bool detachReset)
    {
        // Autograd of the surrogate LIF is the exact derivative of the "relaxed" dynamics in which each spike is
        // H(u0) + g(u) - g(u0): the step values H(u0) and g(u0) (and, with detach_reset, the reset mask) are frozen
        // at the evaluation point while g(u) moves. A central difference of that function, written here in plain
        // doubles, checks the whole backward pass through time: leak, threshold, reset and membrane recurrence.
        const int T = 3, N = 8;
        const double tau = 4.0 / 3.0, threshold = 1.0;
        var rng = new Random(11);
        var x = Enumerable.Range(0, T * N).Select(_ => rng.NextDouble() * 3.0 - 0.5).ToArray();
        var w = Enumerable.Range(0, T * N).Select(_ => rng.NextDouble() * 2.0 - 1.0).ToArray();
        static double G(double u) => Math.Atan(Math.PI * u) / Math.PI + 0.5;

        using var node = new LIFNode(tau, threshold, vReset: 0.0, decayInput: true, detachReset: detachReset,
                                     surrogate: new ATan(2.0), stepMode: StepMode.Multi);
        using var xt = torch.tensor(x, dtype: ScalarType.Float64).reshape(T, N).requires_grad_(true);
        using var wt = torch.tensor(w, dtype: ScalarType.Float64).reshape(T, N);
        using var spikes = node.forward(xt);
        (spikes * wt).sum().backward();
        var autograd = xt.grad!.data<double>().ToArray();

        // frozen quantities at the evaluation point
        var frozenStep = new double[T * N];
        var frozenG = new double[T * N];
        for (int n = 0; n < N; n++)
        {
            double v = 0;
            for (int t = 0; t < T; t++)
            {
                double h = v + (x[t * N + n] - v) / tau, u = h - threshold;
                frozenStep[t * N + n] = u >= 0 ? 1 : 0;
                frozenG[t * N + n] = G(u);
                v = h * (1 - frozenStep[t * N + n]);
            }
        }
        double Relaxed(double[] input)
        {
            double loss = 0;
            for (int n = 0; n < N; n++)
            {
                double v = 0;
                for (int t = 0; t < T; t++)
                {
                    int i = t * N + n;
                    double h = v + (input[i] - v) / tau;
                    double s = frozenStep[i] + G(h - threshold) - frozenG[i];
                    v = h * (1 - (detachReset ? frozenStep[i] : s));
                    loss += w[i] * s;
                }
            }
            return loss;
        }
        const double eps = 1e-6;
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone(); plus[i] += eps;
            var minus = (double[])x.Clone(); minus[i] -= eps;
            double numeric = (Relaxed(plus) - Relaxed(minus)) / (2 * eps);
            Assert.True(Math.Abs(numeric - autograd[i]) < 1e-7 * Math.Max(1, Math.Abs(numeric)),
                $"x[{i}]: autograd {autograd[i]} vs finite difference {numeric}");
        }
        Assert.Contains(frozenStep, s => s == 1);
        Assert.Contains(frozenStep, s => s == 0);
    }

    [Fact]
    public void Detach_reset_changes_the_gradient()
    {
        double[] Grad(bool detach)
        {
            using var node = new LIFNode(4.0 / 3.0, 1.0, 0.0, true, detach, new ATan(), StepMode.Multi);
            using var x = torch.tensor(new double[] { 1.5, 0.9, 0.8 }).reshape(3, 1).requires_grad_(true);
            node.forward(x).sum().backward();
            return x.grad!.data<double>().ToArray();
        }
        Assert.NotEqual(Grad(true)[0], Grad(false)[0]);
    }

    [Fact]
    public void Reset_clears_state_and_the_next_step_starts_from_rest()
    {
        using var node = LIFNode.ReSpike();
        using var x = torch.tensor(new float[] { 0.5f, 0.9f });
        using var first = node.forward(x);
        using var vAfterFirst = node.V!.clone();
        Assert.True(node.V!.abs().sum().item<float>() > 0);
        using var second = node.forward(x);
        TensorAssert.NotEqual(node.V!, vAfterFirst); // state carried over
        node.ResetState();
        Assert.Null(node.V);
        using var again = node.forward(x);
        TensorAssert.Equal(again, first);
        TensorAssert.Equal(node.V!, vAfterFirst);
    }

    [Fact]
    public void ResetNet_reaches_every_neuron_in_a_tree()
    {
        var a = LIFNode.ReSpike(name: "a");
        var b = new LIFNode(tau: 2.0, name: "b");
        using var net = nn.Sequential(("a", a), ("relu", nn.ReLU()), ("inner", nn.Sequential(("b", b))));
        using var x = torch.ones(4) * 0.7f;
        using var y = net.forward(x);
        Assert.NotNull(a.V);
        Assert.NotNull(b.V);
        Assert.Equal(2, Functional.ResetNet(net));
        Assert.Null(a.V);
        Assert.Null(b.V);
    }

    [Fact]
    public void Episode_resets_on_entry_and_exit()
    {
        var neuron = LIFNode.ReSpike();
        using var net = nn.Sequential(("lif", neuron));
        using var x = torch.ones(2) * 0.9f;
        using (Functional.Episode(net)) { using var _ = net.forward(x); Assert.NotNull(neuron.V); }
        Assert.Null(neuron.V);
    }

    [Fact]
    public void Forgetting_to_reset_between_batches_of_another_shape_is_a_clear_error()
    {
        using var node = LIFNode.ReSpike();
        using var a = torch.ones(4, 3);
        using var b = torch.ones(2, 3);
        using var _ = node.forward(a);
        var error = Assert.Throws<InvalidOperationException>(() => node.forward(b));
        Assert.Contains("Functional.ResetNet", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void Multi_step_starts_from_rest_unless_asked_to_continue()
    {
        using var node = LIFNode.ReSpike(StepMode.Multi);
        using var x = torch.full(new long[] { 2, 3 }, 0.6f);  // 0.45 then 0.1125+0.45=0.5625: no spikes, state builds
        using var first = node.forward(x);
        using var vFirst = node.V!.clone();
        using var second = node.forward(x);
        TensorAssert.Equal(node.V!, vFirst); // fresh start each sequence
        node.ResetBeforeSequence = false;
        using var third = node.forward(x);
        TensorAssert.NotEqual(node.V!, vFirst); // streamed on
    }

    [Fact]
    public void Training_twice_with_reset_between_iterations_gives_the_hand_computed_spikes_and_gradients_both_times()
    {
        // constant drive 1.2, tau = 4/3, hard reset to 0 with detach_reset, ATan(alpha 2): g'(u) = 1 / (1 + (pi u)^2)
        // t1 h = 0.75 * 1.2 = 0.9 (u = -0.1, silent); t2 h = 0.9 + 0.75 * (1.2 - 0.9) = 1.125 (u = 0.125, fires, v = 0);
        // t3 h = 0.9 again (silent). d sum(s) / dx: x1 reaches h1 (x 0.75) and h2 (through v1 = h1, x 0.25 x 0.75);
        // x2 reaches h2 only (the reset at t2 cuts v2 off, its mask detached); x3 reaches h3.
        static double G(double u) => 1.0 / (1.0 + Math.PI * u * Math.PI * u);
        double[] expectedGrad = [0.75 * G(-0.1) + 0.1875 * G(0.125), 0.75 * G(0.125), 0.75 * G(-0.1)];
        using var node = LIFNode.ReSpike(StepMode.Multi);
        for (int iteration = 0; iteration < 2; iteration++)
        {
            using var x = torch.full(new long[] { 3, 4 }, 1.2, requires_grad: true);
            using var s = node.forward(x);
            s.sum().backward();
            Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f], s.data<float>().ToArray());
            Assert.Equal(new long[] { 3, 4 }, x.grad!.shape);
            var grad = x.grad!.data<float>().ToArray();
            for (int i = 0; i < grad.Length; i++)
                Assert.True(Math.Abs(grad[i] - expectedGrad[i / 4]) <= 1e-5,
                    $"iteration {iteration}: dL/dx[{i / 4}, {i % 4}] = {grad[i]}, expected {expectedGrad[i / 4]}");
        }
    }

    [Fact]
    public void Invalid_parameters_are_refused_with_their_names()
    {
        Assert.Contains("tau", Assert.Throws<ArgumentOutOfRangeException>(() => new LIFNode(tau: 0.5)).Message);
        Assert.Contains("v_reset", Assert.Throws<ArgumentException>(() => new LIFNode(vThreshold: 1.0, vReset: 1.5)).Message);
        using var node = LIFNode.ReSpike(StepMode.Multi);
        using var scalar = torch.ones(3);
        Assert.Contains("[T, N, ...]", Assert.Throws<ArgumentException>(() => node.forward(scalar)).Message);
    }

    [Fact]
    public void ReSpike_neuron_has_the_published_settings()
    {
        using var node = LIFNode.ReSpike();
        Assert.Equal(4.0 / 3.0, node.Tau);
        Assert.Equal(1.0, node.VThreshold);
        Assert.Equal(0.0, node.VReset);
        Assert.True(node.DecayInput);
        Assert.True(node.DetachReset);
        Assert.Equal(2.0, Assert.IsType<ATan>(node.Surrogate).Alpha);
    }
}
