using System.Text.Json;
using ReSpike.Models;
using ReSpike.Spiking.Neurons;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

/// <summary>
/// One training step of ours (train-mode BatchNorm, cross-entropy, backward through the fused LIF and the
/// fusion recompute, our SGD) against the PyTorch reference's, on the integer-hash weights and clip of
/// Fixtures/parity (resnet18, 64 px, stride 4, 8 frames, batch 2; regenerate with generate_train.py there).
/// Each gradient and each tensor after the step is committed as its L2 norm and its dot product with a fixed
/// probe vector; ‖ours − ref‖ ≤ 1e-4‖ref‖ bounds both differences, so both are checked against that bound.
/// </summary>
public class TrainParityFixtureTests
{
    sealed record Fixture(string Backbone, int Classes, int Stride, int Frames, int Image, int Batch, long[] Labels,
                          double Lr, double Momentum, double WeightDecay, double Loss,
                          Dictionary<string, double[]> Grad, Dictionary<string, double[]> After);

    static Fixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", "resnet18-s4-f8-i64-train.json");
        return JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        })!;
    }

    [Fact]
    public void One_training_step_matches_the_pytorch_reference()
    {
        var f = Load();
        using var net = new ReSpikeNet(new ReSpikeConfig
        {
            Backbone = f.Backbone, NumClasses = f.Classes, Stride = f.Stride, Frames = f.Frames, ImageSize = f.Image,
        });
        DeterministicWeights.Fill(net);
        Assert.True(net.RecomputeFusionInBackward);
        foreach (var neuron in net.modules().OfType<LIFNode>()) neuron.Kernel = LifKernel.Fused; // no silent fallback
        double spikes = 0, sites = 0;
        foreach (var neuron in net.modules().OfType<LIFNode>())
            neuron.register_forward_hook((_, _, output) => { spikes += output.sum().item<float>(); sites += output.numel(); return null!; });
        net.train();

        using var clip = DeterministicWeights.Clip([f.Batch, f.Frames, 3, f.Image, f.Image]);
        using var labels = torch.tensor(f.Labels);
        using var optimizer = new Sgd(net, f.Momentum, f.WeightDecay);
        var parameters = net.named_parameters().ToList();
        var gradients = new Dictionary<string, (double, double, double)>();
        var step = TrainingStep.Run(net, optimizer, clip, labels, f.Lr, beforeUpdate: () =>
        {
            foreach (var (name, p) in parameters)
                gradients[ReferenceNames.ToReference(name)!] = DeterministicWeights.Digest(ReferenceNames.ToReference(name)!, p.grad!);
        });

        Assert.True(step.Updated);
        Assert.True(Math.Abs(step.Loss - f.Loss) <= 1e-5 * Math.Abs(f.Loss), $"loss {step.Loss} vs the reference's {f.Loss}");
        Assert.InRange(spikes / sites, 0.01, 0.99); // the step exercises spiking: some neurons fired, some did not

        Assert.Equal(f.Grad.Keys.Order(), gradients.Keys.Order());
        foreach (var (name, expected) in f.Grad) DeterministicWeights.AssertDigestMatches("grad " + name, expected, gradients[name], "the reference's");

        var after = net.state_dict().ToDictionary(kv => ReferenceNames.ToReference(kv.Key)!, kv => kv.Value);
        Assert.Equal(f.After.Keys.Order(), after.Keys.Order());
        foreach (var (name, expected) in f.After) DeterministicWeights.AssertDigestMatches("after " + name, expected, DeterministicWeights.Digest(name, after[name]), "the reference's");
    }
}
