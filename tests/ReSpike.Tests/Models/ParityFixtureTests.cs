using System.Text.Json;
using ReSpike.Models;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

/// <summary>
/// Eval-mode logits of our network against the PyTorch reference's for identical weights and input
/// (Fixtures/parity: resnet18, image 64, stride 4, 8 frames, batch 2; regenerate with generate.py there).
/// </summary>
public class ParityFixtureTests
{
    sealed record Fixture(string Backbone, int Classes, int Stride, int Frames, int Image, int Batch, double[][] Logits);

    static Fixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", "resnet18-s4-f8-i64.json");
        return JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    [Fact]
    public void Logits_match_the_pytorch_reference_within_1e_4()
    {
        var f = Load();
        using var net = new ReSpikeNet(new ReSpikeConfig
        {
            Backbone = f.Backbone, NumClasses = f.Classes, Stride = f.Stride, Frames = f.Frames, ImageSize = f.Image,
        });
        int filled = DeterministicWeights.Fill(net);
        Assert.True(filled > 200);
        net.eval();

        double spikes = 0, sites = 0;
        var neurons = net.modules().OfType<LIFNode>().ToList();
        Assert.Equal(16, neurons.Count);
        foreach (var neuron in neurons)
            neuron.register_forward_hook((_, _, output) => { spikes += output.sum().item<float>(); sites += output.numel(); return null!; });

        using var clip = DeterministicWeights.Clip([f.Batch, f.Frames, 3, f.Image, f.Image]);
        Tensor logits;
        using (torch.no_grad()) logits = net.forward(clip);
        var expected = torch.tensor(f.Logits.SelectMany(r => r).ToArray(), dtype: ScalarType.Float32).reshape(f.Batch, f.Classes);
        double maxAbs = (logits - expected).abs().max().item<float>();
        double relative = maxAbs / expected.abs().max().item<float>();
        Assert.True(relative <= 1e-4, $"rel_err {relative:E2} (max abs err {maxAbs:E2})");

        // the fixture exercises spiking: some neurons fired and some did not
        double rate = spikes / sites;
        Assert.InRange(rate, 0.01, 0.99);
    }
}
