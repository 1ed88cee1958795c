using System.Text.Json;
using ReSpike.Data.Transforms;
using ReSpike.Interpretability;
using ReSpike.Models;
using ReSpike.Models.Fusion;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Interpretability;

[Collection(VideoCollection.Name)]
public class AttentionMapsTests(VideoFixtures videos)
{
    const int Size = 64, Frames = 4, Stride = 2;

    static ReSpikeNet TinyNet(int seed = 3)
    {
        torch.manual_seed(seed);
        return new ReSpikeNet(new ReSpikeConfig { Stride = Stride, Frames = Frames, ImageSize = Size, NumClasses = 3 });
    }

    /// <summary>A grey clip with a white 8x8 square moving right inside layer 3's token (2, 1) (pixels x 32-47, y 16-31).</summary>
    static Tensor MovingSquare()
    {
        var clip = torch.full(Frames, 3, Size, Size, 128f);
        for (int t = 0; t < Frames; t++) clip[t, .., 20..28, (32 + 2 * t)..(40 + 2 * t)] = 255f;
        return clip;
    }

    static Tensor Normalised(Tensor display) => new Normalize().Apply(display, new Random(0));

    static void AssertTopAreLargest(KeyFrameAttention key, int expectedCount)
    {
        Assert.Equal(expectedCount, key.Top.Count);
        var chosen = key.Top.Select(t => t.Token).ToHashSet();
        double smallestChosen = key.Top.Min(t => t.Weight);
        for (int i = 0; i < key.Weights.Length; i++)
            if (!chosen.Contains(i)) Assert.True(key.Weights[i] <= smallestChosen, $"token {i} ({key.Weights[i]}) outweighs a top token ({smallestChosen})");
        for (int r = 1; r < key.Top.Count; r++) Assert.True(key.Top[r - 1].Weight >= key.Top[r].Weight);
        foreach (var t in key.Top) Assert.Equal(key.Weights[t.Token], t.Weight);
    }

    [Fact]
    public void Weights_are_the_ones_forward_applies_and_watching_does_not_change_the_output()
    {
        torch.manual_seed(1);
        using var attention = new Attention(64, 32);
        using var x = torch.randn(6, 5, 64);
        using var context = torch.randn(2, 7, 32);
        using var plain = attention.call(x, context);
        using var weights = attention.Weights(x, context);
        Assert.Equal([6L, 2, 5, 7], weights.shape);
        Assert.True(weights.sum(-1).allclose(torch.ones(6, 2, 5), rtol: 0, atol: 1e-5));

        // forward's fused path equals to_out(weights @ V): sample i attends to context i mod 2
        var p = attention.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        using var v = nn.functional.linear(context, p["to_v.weight"]).view(2, 7, 2, 32).transpose(1, 2).repeat(3, 1, 1, 1);
        using var merged = weights.matmul(v).transpose(1, 2).reshape(6, 5, 64);
        using var expected = nn.functional.linear(merged, p["to_out.weight"], p["to_out.bias"]);
        Assert.True(plain.allclose(expected, rtol: 1e-4, atol: 1e-5));

        using var monitor = new AttentionMonitor(attention);
        using var watched = attention.call(x, context);
        Assert.True(TensorAssert.AreIdentical(plain, watched), "a watched forward must be bit-identical");
        Assert.Single(monitor.Calls);
        Assert.True(TensorAssert.AreIdentical(weights, monitor.Calls[0]));
    }

    [Fact]
    public void Query_is_the_moving_patch_and_weights_sum_to_one_with_the_largest_on_top()
    {
        using var net = TinyNet();
        using var display = MovingSquare();
        using var input = Normalised(display);
        net.eval();
        Tensor before;
        using (torch.no_grad()) before = net.call(input.unsqueeze(0));

        var report = AttentionMaps.Compute(net, display, input, new AttentionMapOptions { Layer = 3 });
        Assert.Equal((3, 4, 4, 16), (report.Layer, report.GridWidth, report.GridHeight, report.PatchSize));
        Assert.Equal(Frames / Stride, report.KeyFrames.Count);
        Assert.Equal(Stride - 1, report.Timesteps);
        Assert.Equal(256 / 32, report.Heads);   // stage-3 SNN width 256, head dim 32
        foreach (var key in report.KeyFrames)
        {
            Assert.Equal(new TokenCell(2, 1), key.Query);
            Assert.Equal(6, key.QueryToken);
            Assert.Equal("largest residual motion", key.QueryRule);
            Assert.Equal(16, key.Weights.Length);
            Assert.Equal(1.0, key.Weights.Sum(), 6);
            foreach (var step in key.WeightsPerStepAndHead)
            {
                Assert.Equal(report.Heads, step.Length);
                foreach (var head in step) Assert.Equal(1.0, head.Sum(), 5);
            }
            AssertTopAreLargest(key, 5);
            // the residual energy is only in the moving square's token
            Assert.Equal(6, Array.IndexOf(key.ResidualEnergy, key.ResidualEnergy.Max()));
            Assert.Equal(0.0, key.ResidualEnergy.Where((_, i) => i != 6).Max(), 9);
        }
        Assert.Equal([0, 2], report.KeyFrames.Select(k => k.ClipFrame).ToArray());
        // the key frames differ (the square moved), so their maps do
        Assert.NotEqual(report.KeyFrames[0].Weights, report.KeyFrames[1].Weights);

        // the prediction is the model's own forward
        Assert.Equal(before.argmax(-1).item<long>(), report.PredictedClass);
        Assert.Equal(before.softmax(-1).max().item<float>(), report.Probability, 5);
        before.Dispose();
    }

    [Fact]
    public void Last_layer_is_the_default_a_given_query_is_kept_and_a_query_off_the_grid_is_refused()
    {
        using var net = TinyNet();
        using var display = MovingSquare();
        using var input = Normalised(display);

        var last = AttentionMaps.Compute(net, display, input, new AttentionMapOptions { Query = new TokenCell(1, 0) });
        Assert.Equal((4, 2, 32), (last.Layer, last.GridWidth, last.PatchSize));
        Assert.All(last.KeyFrames, k => Assert.Equal((new TokenCell(1, 0), 1, "given"), (k.Query, k.QueryToken, k.QueryRule)));
        Assert.All(last.KeyFrames, k => AssertTopAreLargest(k, 4));   // only 2x2 tokens at 64 px

        var error = Assert.Throws<ArgumentException>(() => AttentionMaps.Compute(net, display, input, new AttentionMapOptions { Query = new TokenCell(2, 0) }));
        Assert.Contains("--query 2,0", error.Message);
        Assert.Contains("2x2", error.Message);
        Assert.Contains("--layer 5", Assert.Throws<ArgumentException>(() => new AttentionMapOptions { Layer = 5 }.Validate()).Message);
        Assert.Contains("x,y", Assert.Throws<FormatException>(() => TokenCell.Parse("3")).Message);
        Assert.Equal(new TokenCell(3, 1), TokenCell.Parse(" 3 , 1"));
    }

    [Fact]
    public void Figures_are_one_png_per_key_frame()
    {
        using var dir = new TempDirectory();
        using var net = TinyNet();
        using var display = MovingSquare();
        using var input = Normalised(display);
        var report = AttentionMaps.WriteFigures(AttentionMaps.Compute(net, display, input, new AttentionMapOptions { Layer = 3 }), dir.File("maps"));
        Assert.Equal([dir.File("maps/keyframe_k0.png"), dir.File("maps/keyframe_k1.png")], report.Figures);
        foreach (var png in report.Figures)
        {
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.True(bytes.Length > 10_000, $"{png} is only {bytes.Length} bytes");
        }
        Assert.Empty(Directory.GetFiles(dir.File("maps"), "*.tmp*"));
    }

    [RequiresFfmpegFact]
    public void Cli_writes_pngs_and_raw_weights_for_a_generated_video()
    {
        using var dir = new TempDirectory();
        using (var net = TinyNet()) Checkpoint.Save(net, dir.File("tiny.safetensors"), ["bend", "jack", "wave"]);
        var (code, output, err) = CliHarness.Run("attention", "--checkpoint", dir.File("tiny.safetensors"), "--video", videos.Path(VideoFixtures.Long),
            "--out", dir.File("maps"), "--json", dir.File("maps/weights.json"), "--layer", "3", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("layer 3, 4x4 tokens of 16 px", output);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("maps/weights.json")));
        var root = json.RootElement;
        Assert.Equal(videos.Path(VideoFixtures.Long), root.GetProperty("video").GetString());
        var clip = root.GetProperty("clip_frames").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(28, Frames).ToArray(), clip);   // the centre clip of 60 frames
        var keys = root.GetProperty("key_frames").EnumerateArray().ToList();
        Assert.Equal([28, 30], keys.Select(k => k.GetProperty("video_frame").GetInt32()).ToArray());
        foreach (var key in keys)
        {
            var weights = key.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(1.0, weights.Sum(), 6);
            foreach (var step in key.GetProperty("weights_per_step_and_head").EnumerateArray())
                foreach (var head in step.EnumerateArray()) Assert.Equal(1.0, head.EnumerateArray().Sum(e => e.GetDouble()), 5);
            var top = key.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("token").GetInt32()).ToArray();
            Assert.Equal(AttentionMaps.Largest(weights, 5), top);
            Assert.True(File.Exists(dir.File($"maps/keyframe_{key.GetProperty("video_frame").GetInt32():D5}.png")));
        }
    }

    [RequiresFfmpegFact]
    public void Cli_refuses_a_checkpoint_without_fusion_and_a_bad_query()
    {
        using var dir = new TempDirectory();
        torch.manual_seed(0);
        using (var ann = new ReSpikeNet(new ReSpikeConfig { Variant = ModelVariant.Ann, Stride = Stride, Frames = Frames, ImageSize = Size, NumClasses = 3 }))
            Checkpoint.Save(ann, dir.File("ann.safetensors"));
        var (code, _, err) = CliHarness.Run("attention", "--checkpoint", dir.File("ann.safetensors"), "--video", videos.Path(VideoFixtures.Long), "--out", dir.File("maps"));
        Assert.Equal(1, code);
        Assert.Contains("ann.safetensors: model 'ann' has no cross-attention fusion", err);

        (code, _, err) = CliHarness.Run("attention", "--checkpoint", dir.File("ann.safetensors"), "--video", videos.Path(VideoFixtures.Long), "--out", dir.File("maps"), "--query", "1;2");
        Assert.Equal(2, code);
        Assert.Contains("--query '1;2'", err);
        Assert.False(Directory.Exists(dir.File("maps")));
    }
}
