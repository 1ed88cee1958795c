using System.Text.Json;
using ReSpike.Models;
using ReSpike.Models.SpikingResformer;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.SpikingResformer;

/// <summary>
/// One training step of ours (train-mode BatchNorm over T·B, DSSA firing-rate EMA, cross-entropy of the time-averaged
/// logits, backward, our SGD) against the official code's, on the integer-hash weights of Fixtures/parity
/// (srf-ti-t2-i32-train.json, made by generate_srf.py): every gradient and every state-dict tensor after the step
/// (firing-rate buffers and BatchNorm statistics included) as L2 norm and probe projection, checked to 1e-4 relative.
/// </summary>
public class SpikingResformerTrainFixtureTests
{
    sealed record Fixture(string Variant, int Classes, int Timesteps, int Image, int Batch, long[] Labels, double Lr, double Momentum,
                          double WeightDecay, double Loss, Dictionary<string, double[]> Grad, Dictionary<string, double[]> After);

    [Fact]
    public void One_training_step_matches_the_official_code()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", "srf-ti-t2-i32-train.json");
        var f = JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        })!;
        var config = SpikingResformerParity.ConfigFor("spikingresformer-" + f.Variant, f.Classes, f.Timesteps, f.Image, ioPath: "");
        using var net = (SpikingResformerNet)ModelRegistry.Create(config);
        SpikingResformerFixtureTests.Fill(net);
        net.train();
        using var image = DeterministicWeights.Clip([f.Batch, 3, f.Image, f.Image]);
        using var labels = torch.tensor(f.Labels);
        using var optimizer = new Sgd(net, f.Momentum, f.WeightDecay);
        var parameters = net.named_parameters().ToList();
        var gradients = new Dictionary<string, (double, double, double)>();
        var step = TrainingStep.Run(net, optimizer, image, labels, f.Lr, beforeUpdate: () =>
        {
            foreach (var (name, p) in parameters) gradients[name] = DeterministicWeights.Digest(name, p.grad!);
        });
        Assert.True(step.Updated);
        Assert.True(Math.Abs(step.Loss - f.Loss) <= 1e-5 * Math.Abs(f.Loss), $"loss {step.Loss} vs the official {f.Loss}");
        Assert.Equal(f.Grad.Keys.Order(), gradients.Keys.Order());
        foreach (var (name, expected) in f.Grad) DeterministicWeights.AssertDigestMatches("grad " + name, expected, gradients[name], "the official");
        var after = net.state_dict();
        Assert.Equal(f.After.Keys.Order(), after.Keys.Order());
        foreach (var (name, expected) in f.After) DeterministicWeights.AssertDigestMatches("after " + name, expected, DeterministicWeights.Digest(name, after[name]), "the official");
    }
}
