using ReSpike.Energy;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Energy;

public class FiringRateMonitorTests
{
    /// <summary>[T=4, N=1, 4]: neuron 0 driven by 2.0 (0.75 x 2 = 1.5 >= 1 fires every step), the rest silent.</summary>
    static Tensor OneOfFourFiring() =>
        torch.tensor(new float[] { 2, 0, 0, 0 }).reshape(1, 1, 4).expand(4, 1, 4).contiguous();

    [Fact]
    public void Rates_average_over_neurons_timesteps_and_samples_per_layer_and_overall()
    {
        using var net = nn.Sequential(("a", LIFNode.ReSpike(StepMode.Multi)), ("b", LIFNode.ReSpike(StepMode.Multi)));
        using var monitor = new FiringRateMonitor(net);
        Assert.Equal(2, monitor.WatchedLayers);
        using var x = OneOfFourFiring();
        using (torch.no_grad())
        {
            // two samples; layer b gets a's spikes (1.0 -> v = 0.75, 0.9375, 0.984..., never reaches 1)
            for (int sample = 0; sample < 2; sample++) { using var _ = net.call(x); }
        }
        var rates = monitor.Snapshot();
        Assert.Equal(["a", "b"], rates.Layers.Select(l => l.Name));
        Assert.Equal(0.25, rates.Layers[0].Rate);
        Assert.Equal(32, rates.Layers[0].NeuronSteps);   // 4 neurons x 4 steps x 2 samples
        Assert.Equal(2, rates.Layers[0].Calls);
        Assert.Equal(0, rates.Layers[1].Rate);
        Assert.Equal(0.125, rates.Overall);               // 8 spikes over 64 neuron-steps
        Assert.Equal(0.125, rates.MeanOfLayers);
    }

    [Fact]
    public void Monitoring_during_training_leaves_gradients_intact()
    {
        using var drive = OneOfFourFiring();
        Tensor Gradient(bool monitored, out double? rate)
        {
            using var lif = LIFNode.ReSpike(StepMode.Multi);
            using var monitor = monitored ? new FiringRateMonitor(lif) : null;
            using var x = drive.clone().requires_grad_(true);
            using var spikes = lif.call(x);
            using var loss = spikes.sum();
            loss.backward();
            rate = monitor?.Snapshot().Overall;
            return x.grad!.clone();
        }
        using var plain = Gradient(monitored: false, out _);
        using var watched = Gradient(monitored: true, out var overall);
        Assert.Equal(0.25, overall);
        TensorAssert.Equal(plain, watched, "input gradient with the monitor attached");
        Assert.True(plain.abs().sum().item<float>() > 0);   // the ATan surrogate passes gradient: the comparison is not of zeros
    }

    [Fact]
    public void Single_step_neurons_are_recorded_per_call_and_hooks_go_away_on_dispose()
    {
        using var lif = LIFNode.ReSpike(StepMode.Single);
        using var x = torch.tensor(new float[] { 2, 0 });
        var monitor = new FiringRateMonitor(lif);
        using (torch.no_grad())
        using (Functional.Episode(lif))
        {
            for (int t = 0; t < 3; t++) { using var _ = lif.call(x); }
        }
        monitor.Dispose();
        using (torch.no_grad()) { using var _ = lif.call(x); }
        var layer = Assert.Single(monitor.Snapshot().Layers);
        Assert.Equal(3, layer.Calls);
        Assert.Equal(0.5, layer.Rate);
    }
}
