using System.Text.Json;
using ReSpike.Benchmarks;
using ReSpike.Benchmarks.Profiling;
using ReSpike.Models;
using ReSpike.Models.Fusion;
using ReSpike.Spiking.Layers;
using ReSpike.Spiking.Neurons;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Tests.Benchmarks;

/// <summary>`bench --profile`, the real-weights bench and the spike-convolution sweep.</summary>
public class ProfileTests
{
    static readonly ReSpikeConfig Tiny = new() { Variant = ModelVariant.ReSpike, NumClasses = 5, Stride = 2, Frames = 4, ImageSize = 32 };

    [Fact]
    public void Modules_fall_into_the_components_their_path_and_type_name()
    {
        using var conv = nn.Conv2d(3, 8, 3);
        using var spikeConv = new SpikeDrivenConv2d(8, 8, 3);
        using var bn = nn.BatchNorm2d(8);
        using var lif = LIFNode.ReSpike(ReSpike.Spiking.StepMode.Multi);
        using var linear = nn.Linear(4, 4);
        using var attention = new Attention(32, 32);
        Assert.Equal(ProfileComponents.AnnConv, ProfileComponents.Of("ann.layer1.0.conv1", conv));
        Assert.Equal(ProfileComponents.SnnConv, ProfileComponents.Of("snn.layer1.0.conv1", spikeConv));
        Assert.Equal(ProfileComponents.SnnBatchNorm, ProfileComponents.Of("snn.layer1.0.bn1", bn));
        Assert.Equal(ProfileComponents.Lif, ProfileComponents.Of("snn.layer1.0.lif1", lif));
        Assert.Equal(ProfileComponents.FusionGeglu, ProfileComponents.Of("fusions.0.ff_in", linear));
        Assert.Equal(ProfileComponents.FusionProjections, ProfileComponents.Of("fusions.0.self_attn.to_q", linear));
        Assert.Equal(ProfileComponents.FusionAttention, ProfileComponents.Of("fusions.0.self_attn", attention));
        Assert.Equal(ProfileComponents.Head, ProfileComponents.Of("fc", linear));
        Assert.Equal(ProfileComponents.DataMovement, ProfileComponents.Of("ReSpikeNet", attention));
        Assert.Equal(ProfileComponents.OtherConv, ProfileComponents.Of("backbone.conv", conv));
    }

    [Fact]
    public void A_profile_splits_both_steps_into_components_that_add_up_to_at_most_the_step()
    {
        var report = StepProfiler.Run(new ThroughputBenchSettings { Model = Tiny, Batch = 1, Steps = 1, Warmup = 1 });
        Assert.True(report.MachineLimit.MatmulGmacPerS > 0.1 && report.MachineLimit.Conv3x3GmacPerS > 0.1);
        foreach (var step in new[] { report.Inference, report.Training })
        {
            var names = step.Components.Select(c => c.Component).ToList();
            foreach (var expected in new[] { ProfileComponents.AnnConv, ProfileComponents.SnnConv, ProfileComponents.Lif, ProfileComponents.FusionGeglu, ProfileComponents.Head })
                Assert.Contains(expected, names);
            double attributed = step.Components.Sum(c => c.TotalSeconds) + step.OptimizerSeconds;
            Assert.InRange(attributed, 0.2 * step.StepSeconds, step.StepSeconds * 1.001 + 1e-3);
            Assert.True(step.DenseGmacs > 0);
            // dense multiply-adds: the ANN and SNN convolutions carry most of them
            var convGmacs = step.Components.Where(c => c.Component is ProfileComponents.AnnConv or ProfileComponents.SnnConv).Sum(c => c.ForwardGmacs);
            Assert.InRange(convGmacs, 0.3 * step.DenseGmacs, step.DenseGmacs);
            Assert.NotEmpty(step.TopLayers);
            Assert.True(step.TopLayers.Count <= StepProfiler.TopLayers);
        }
        Assert.All(report.Inference.Components, c => Assert.Equal(0, c.BackwardSeconds));
        Assert.Equal(0, report.Inference.OptimizerSeconds);
        // training has a backward: the convolutions' is timed, and the SGD update too
        Assert.True(report.Training.Components.Single(c => c.Component == ProfileComponents.SnnConv).BackwardSeconds > 0);
        Assert.True(report.Training.OptimizerSeconds > 0);
    }

    [Fact]
    public void Profile_cli_writes_the_machine_limit_and_both_steps_as_json()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run("bench", "--profile", "--image", "32", "--frames", "4", "--stride", "2", "--classes", "5",
            "--batch", "1", "--steps", "1", "--allocator", "default", "--json", dir.File("p.json"));
        Assert.True(code == 0, err + output);
        Assert.Contains("machine limit", output);
        Assert.Contains("of the matmul limit", output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("p.json")));
        var root = json.RootElement;
        Assert.True(root.GetProperty("machine_limit").GetProperty("matmul_gmac_per_s").GetDouble() > 0);
        Assert.InRange(root.GetProperty("inference_fraction_of_matmul").GetDouble(), 1e-4, 2);
        // the always-dense layers' own rate cannot beat the machine's matmul by much (noise aside)
        Assert.InRange(root.GetProperty("dense_layers_fraction_of_matmul").GetDouble(), 1e-4, 1.5);
        foreach (var mode in new[] { "inference", "training" })
        {
            var step = root.GetProperty(mode);
            Assert.True(step.GetProperty("unprofiled_step_seconds").GetDouble() > 0);
            var first = step.GetProperty("components")[0];
            foreach (var field in new[] { "component", "forward_seconds", "backward_seconds", "forward_gmacs", "total_seconds" })
                Assert.True(first.TryGetProperty(field, out _), $"{mode} component lacks {field}");
            Assert.True(step.GetProperty("top_layers")[0].TryGetProperty("module", out _));
        }
    }

    [Fact]
    public void Bench_runs_given_clips_through_given_weights_and_reports_their_firing_rate()
    {
        using var dir = new TempDirectory();
        manual_seed(3);
        using (var net = ModelRegistry.Create(Tiny)) Checkpoint.Save(net, dir.File("c.safetensors"));
        using var clips = randn([2, Tiny.Frames, 3, Tiny.ImageSize, Tiny.ImageSize]).mul(4);
        var report = ThroughputBench.Run(new ThroughputBenchSettings
        {
            Model = Tiny with { ImageSize = 64 },   // replaced by the checkpoint's
            Checkpoint = dir.File("c.safetensors"), Clips = clips, ClipsDescription = "two loud clips", Batch = 2, Steps = 1, Warmup = 0,
        });
        Assert.Equal(32, report.Image);
        Assert.Equal(dir.File("c.safetensors"), report.Weights);
        Assert.Equal("two loud clips", report.Input);
        Assert.InRange(report.FiringRate!.Value, 1e-6, 1);
        var wrongBatch = new ThroughputBenchSettings { Model = Tiny, Clips = clips, Batch = 3 };
        Assert.Contains("--batch", Assert.Throws<ArgumentException>(() => wrongBatch.Validate()).Message);
    }

    [Fact]
    public void Bench_cli_takes_a_checkpoint_and_the_test_clips_of_a_dataset()
    {
        using var dir = new TempDirectory();
        manual_seed(4);
        using (var net = ModelRegistry.Create(Tiny)) Checkpoint.Save(net, dir.File("c.safetensors"));
        var (code, output, err) = CliHarness.Run("bench", "--checkpoint", dir.File("c.safetensors"), "--dataset", "synthetic", "--data-videos", "2",
            "--data-frames", "4", "--data-size", "32", "--no-cache", "--batch", "2", "--steps", "1", "--allocator", "default", "--json", dir.File("b.json"));
        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("b.json")));
        Assert.StartsWith("2 test clips of", json.RootElement.GetProperty("input").GetString());
        Assert.Equal(dir.File("c.safetensors"), json.RootElement.GetProperty("weights").GetString());
        Assert.True(json.RootElement.GetProperty("firing_rate").GetDouble() >= 0);
    }

    [Fact]
    public void Conv_sweep_compares_both_paths_per_density_and_they_agree()
    {
        var results = SpikeConvBench.Run([2, 8, 12, 12], 16, 1, [0.05, 0.5], repeats: 1, warmup: 0);
        Assert.Equal([0.05, 0.5], results.Select(r => r.Density));
        Assert.All(results, r =>
        {
            Assert.True(r.DenseMs > 0 && r.EventDrivenMs > 0);
            Assert.InRange(r.MaxRelativeDifference, 0, 1e-5);
        });
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run("bench", "--conv-sweep", "--conv-shape", "2x8x12x12:16:2", "--conv-densities", "0.1",
            "--steps", "1", "--warmup", "0", "--allocator", "default", "--json", dir.File("s.json"));
        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        Assert.Equal(2, json.RootElement[0].GetProperty("stride").GetInt64());
        var (bad, _, badErr) = CliHarness.Run("bench", "--conv-sweep", "--conv-shape", "2x8x12:16:1");
        Assert.NotEqual(0, bad);
        Assert.Contains("--conv-shape", badErr);
    }
}
