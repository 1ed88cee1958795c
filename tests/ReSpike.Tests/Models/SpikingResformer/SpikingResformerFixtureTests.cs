using System.Text.Json;
using ReSpike.Models;
using ReSpike.Models.SpikingResformer;
using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.SpikingResformer;

/// <summary>
/// Eval-mode per-timestep logits of our SpikingResformer against the official code's for identical integer-hash
/// weights and image (Fixtures/parity/srf-*.json; regenerate with generate_srf.py there).
/// </summary>
public class SpikingResformerFixtureTests
{
    sealed record Fixture(string Variant, int Classes, int Timesteps, int Image, int Batch, double[][][] Logits);

    static Fixture Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", file);
        return JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    /// <summary>generate_srf.py's values: generate.py's rule, firing-rate buffers 0.1 + 0.3 u.</summary>
    internal static int Fill(nn.Module net)
    {
        int filled = 0;
        using var _ = torch.no_grad();
        foreach (var (name, target) in net.state_dict())
        {
            Tensor value = name.EndsWith(".firing_rate_x", StringComparison.Ordinal) || name.EndsWith(".firing_rate_attn", StringComparison.Ordinal)
                ? tensor(DeterministicWeights.Uniform(name, target.numel()).Select(u => (float)(0.1 + 0.3 * u)).ToArray()).reshape(target.shape)
                : DeterministicWeights.Value(name, target.shape);
            using (value) target.copy_(value);
            filled++;
        }
        return filled;
    }

    [Theory]
    [InlineData("srf-ti-t2-i32.json", 211)]
    [InlineData("srf-dvsg-t3-i32.json", 249)]
    public void Logits_match_the_official_code_within_1e_4(string file, int tensors)
    {
        var f = Load(file);
        var config = SpikingResformerParity.ConfigFor("spikingresformer-" + f.Variant, f.Classes, f.Timesteps, f.Image, ioPath: "");
        using var net = (SpikingResformerNet)ModelRegistry.Create(config);
        Assert.Equal(tensors, Fill(net));
        net.eval();

        double spikes = 0, sites = 0;
        foreach (var neuron in net.modules().OfType<BaseNode>())
            neuron.register_forward_hook((_, _, output) => { spikes += output.sum().item<float>(); sites += output.numel(); return null!; });

        using var image = DeterministicWeights.Clip([f.Batch, 3, f.Image, f.Image]);
        Tensor logits;
        using (torch.no_grad()) logits = net.ForwardTimesteps(image);
        var expected = torch.tensor(f.Logits.SelectMany(s => s.SelectMany(r => r)).ToArray(), dtype: ScalarType.Float32)
            .reshape(f.Timesteps, f.Batch, f.Classes);
        Assert.Equal(expected.shape, logits.shape);
        double maxAbs = (logits - expected).abs().max().item<float>();
        double relative = maxAbs / expected.abs().max().item<float>();
        Assert.True(relative <= 1e-4, $"rel_err {relative:E2} (max abs err {maxAbs:E2})");
        Assert.InRange(spikes / sites, 0.002, 0.99); // the fixture exercises spiking (dvsg: 0.8 %)
    }
}
