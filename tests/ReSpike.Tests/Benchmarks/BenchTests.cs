using System.Text.Json;
using ReSpike.Benchmarks;
using ReSpike.Diagnostics;
using ReSpike.Models;
using ReSpike.Runtime;
using ReSpike.Spiking;
using ReSpike.Spiking.Neurons;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Benchmarks;

public class BenchTests
{
    static readonly ReSpikeConfig Tiny = new() { Variant = ModelVariant.ReSpike, NumClasses = 5, Stride = 2, Frames = 4, ImageSize = 32 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Throughput_bench_times_steps_and_reports_the_contract_fields(bool train)
    {
        var report = ThroughputBench.Run(new ThroughputBenchSettings { Model = Tiny, Batch = 1, Steps = 2, Warmup = 1, Train = train });
        Assert.Equal(train ? "train" : "infer", report.Mode);
        Assert.Equal(2, report.StepSeconds.Length);
        Assert.All(report.StepSeconds, s => Assert.True(s > 0));
        // s/step is the mean of the unrounded step times rounded to 4 places, each step time is rounded to 4 places too:
        // the two roundings part them by at most 1e-4 (comparing at 3 decimal places failed when they straddled a boundary)
        Assert.Equal(report.StepSeconds.Average(), report.SPerStep, 1e-4 + 1e-12);
        Assert.InRange(report.ClipsPerS * report.SPerStep, 0.98, 1.02);   // batch 1: clips/s = 1 / (s/step), both rounded
        Assert.True(report.PeakRssMb > 50, $"peak RSS {report.PeakRssMb} MiB is implausibly small for a process with libtorch loaded");

        // the CLI writes snake_case: these are the names docs/cli.md promises
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.GetProperty("clips_per_s").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("s_per_step").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("peak_rss_mb").GetDouble() > 0);
        // inference runs channels-last by default, training contiguous
        Assert.Equal(train ? "contiguous" : "channels-last", doc.RootElement.GetProperty("layout").GetString());
        var contiguous = ThroughputBench.Run(new ThroughputBenchSettings { Model = Tiny, Batch = 1, Steps = 1, Warmup = 0, Train = train, ChannelsLast = false });
        Assert.Equal("contiguous", contiguous.Layout);
    }

    [Fact]
    public void Train_bench_steps_the_weights_exactly_as_the_trainers_step_with_our_Sgd()
    {
        var settings = new ThroughputBenchSettings { Model = Tiny, Batch = 1, Steps = 1, Warmup = 1, Train = true, Seed = 7 };
        Dictionary<string, Tensor>? benched = null, benchedState = null;
        Type? optimizerType = null;
        ThroughputBench.Run(settings, null, (net, optimizer) =>
        {
            optimizerType = optimizer?.GetType();
            benched = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            benchedState = optimizer!.State().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        });
        Assert.Equal(typeof(Sgd), optimizerType);

        // the same model, clip and labels stepped warm-up + steps times by the trainer's step and our SGD
        torch.manual_seed(settings.Seed);
        using var expected = new ReSpikeNet(Tiny);
        Functional.SetLifKernel(expected, settings.LifKernel);
        var initial = expected.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        using var clip = torch.randn([settings.Batch, Tiny.Frames, 3, Tiny.ImageSize, Tiny.ImageSize]);
        using var labels = torch.randint(0, Tiny.NumClasses, [settings.Batch], dtype: ScalarType.Int64);
        using var sgd = new Sgd(expected, momentum: 0.9, weightDecay: 1e-4);
        expected.train();
        for (int i = 0; i < settings.Warmup + settings.Steps; i++)
        {
            Assert.True(TrainingStep.Run(expected, sgd, clip, labels, learningRate: 1e-4).Updated);
            Functional.ResetNet(expected);
        }

        var after = expected.state_dict();
        Assert.Equal(after.Keys.Order(), benched!.Keys.Order());
        int changed = 0;
        foreach (var (name, tensor) in after)
        {
            TensorAssert.Equal(tensor, benched[name], $"{name} after the bench vs TrainingStep + Sgd");
            if (tensor.is_floating_point() && !TensorAssert.AreIdentical(tensor, initial[name])) changed++;
        }
        Assert.True(changed > 10, $"only {changed} tensors moved: the comparison would be vacuous");
        // the optimizer's own state: momentum buffers and one count per step (warm-up included)
        foreach (var (name, tensor) in sgd.State())
            TensorAssert.Equal(tensor, benchedState![name], $"optimizer state {name}");
        Assert.Equal(settings.Warmup + settings.Steps, benchedState!["steps"].item<long>());
        foreach (var t in benched.Values.Concat(benchedState.Values).Concat(initial.Values)) t.Dispose();
    }

    [Fact]
    public void Bench_settings_name_the_flag_at_fault()
    {
        Assert.Contains("--batch", Assert.Throws<ArgumentException>(() => new ThroughputBenchSettings { Model = Tiny, Batch = 0 }.Validate()).Message);
        Assert.Contains("--steps", Assert.Throws<ArgumentException>(() => new ThroughputBenchSettings { Model = Tiny, Steps = 0 }.Validate()).Message);
        Assert.Contains("--frames", Assert.Throws<ArgumentException>(() => new ThroughputBenchSettings { Model = Tiny with { Frames = 5 } }.Validate()).Message);
    }

    [Fact]
    public void Lif_bench_reports_its_settings_and_times_all_four_variants()
    {
        var result = LifBench.Run(timesteps: 3, shape: [4, 8, 16], repeats: 3, warmup: 1);
        Assert.Equal(3, result.Timesteps);
        Assert.Equal(new long[] { 4, 8, 16 }, result.Shape);
        Assert.Equal(3, result.Repeats);
        Assert.Equal(torch.get_num_threads(), result.Threads);
        var timed = new (string Variant, double Ms)[]
        {
            ("op-by-op forward", result.OpByOpForwardMs), ("fused forward", result.FusedForwardMs),
            ("op-by-op forward+backward", result.OpByOpForwardBackwardMs), ("fused forward+backward", result.FusedForwardBackwardMs),
            ("op-by-op forward+backward best", result.OpByOpForwardBackwardBestMs), ("fused forward+backward best", result.FusedForwardBackwardBestMs),
        };
        foreach (var (variant, ms) in timed) Assert.True(ms > 0 && double.IsFinite(ms), $"{variant}: {ms} ms");

        Assert.Contains("timesteps", Assert.Throws<ArgumentException>(() => LifBench.Run(0, [4], 1, 0)).Message);
        Assert.Contains("repeats", Assert.Throws<ArgumentException>(() => LifBench.Run(3, [4], 0, 0)).Message);
        Assert.Contains("[4, 0]", Assert.Throws<ArgumentException>(() => LifBench.Run(3, [4, 0], 1, 0)).Message);
    }

    [Fact]
    public void Lif_bench_compares_kernels_that_compute_the_same_spikes_and_gradient()
    {
        // the bench's two neurons on its kind of input (drive in [-0.5, 2.5), a fixed random gradient of the spikes):
        // the speed-up it reports is between equal computations
        torch.manual_seed(1001);
        using var x = (torch.rand([3, 4, 8, 16]) * 3.0f).sub_(0.5f);
        using var gradSpikes = torch.randn([3, 4, 8, 16]);
        (Tensor Spikes, Tensor Grad) Run(LifKernel kernel)
        {
            using var neuron = LIFNode.ReSpike(StepMode.Multi);
            neuron.Kernel = kernel;
            using var input = x.detach().requires_grad_(true);
            var spikes = neuron.forward(input);
            var grad = torch.autograd.grad([spikes], [input], [gradSpikes])[0];
            return (spikes.detach(), grad);
        }
        var (opSpikes, opGrad) = Run(LifKernel.OpByOp);
        var (fusedSpikes, fusedGrad) = Run(LifKernel.Fused);
        using (opSpikes) using (opGrad) using (fusedSpikes) using (fusedGrad)
        {
            TensorAssert.Equal(opSpikes, fusedSpikes, "spikes");
            double fired = opSpikes.mean().item<float>();
            Assert.InRange(fired, 0.05, 0.95);   // a mix of firing and silence, as the bench intends
            using var diff = (fusedGrad - opGrad).abs().max();
            using var scale = opGrad.abs().max();
            Assert.True(scale.item<float>() > 0, "the op-by-op gradient is all zero");
            Assert.True(diff.item<float>() <= 1e-6 * scale.item<float>(), $"max |fused - op-by-op| gradient {diff.item<float>():E3} vs scale {scale.item<float>():E3}");
        }
    }

    [Fact]
    public void Lif_bench_cli_writes_one_json_row_per_sequence_length_with_the_documented_fields()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run("bench", "--lif", "--lif-shape", "4x8x16", "--lif-timesteps", "2,5",
            "--steps", "2", "--warmup", "0", "--allocator", "default", "--json", dir.File("lif.json"));
        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("lif.json")));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([2, 5], rows.Select(r => r.GetProperty("timesteps").GetInt32()));
        string[] fields =
        [
            "timesteps", "shape", "threads", "repeats", "op_by_op_forward_ms", "fused_forward_ms", "op_by_op_forward_backward_ms",
            "fused_forward_backward_ms", "op_by_op_forward_backward_best_ms", "fused_forward_backward_best_ms",
            "forward_speedup", "forward_backward_speedup", "allocator",
        ];
        foreach (var row in rows)
        {
            Assert.Equal(fields.Order(StringComparer.Ordinal), row.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal([4L, 8, 16], row.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(2, row.GetProperty("repeats").GetInt32());
            Assert.Equal(torch.get_num_threads(), row.GetProperty("threads").GetInt32());
            Assert.StartsWith("glibc-default", row.GetProperty("allocator").GetString());
            // the speed-ups are the ratios of the medians written beside them
            double forward = row.GetProperty("op_by_op_forward_ms").GetDouble() / row.GetProperty("fused_forward_ms").GetDouble();
            Assert.Equal(Math.Round(forward, 2), row.GetProperty("forward_speedup").GetDouble(), 9);
        }
        Assert.Contains("4x8x16", output);
    }

    [RequiresLinuxFact]
    public void Process_memory_reads_current_and_peak_resident_size()
    {
        var current = ProcessMemory.ResidentMb();
        var peak = ProcessMemory.PeakResidentMb();
        Assert.NotNull(current);
        Assert.NotNull(peak);
        Assert.True(current > 10 && peak >= current, $"VmRSS {current} MiB, VmHWM {peak} MiB");
    }

    [Fact]
    public void Allocator_profiles_parse_by_name_and_the_default_changes_nothing()
    {
        Assert.Equal(AllocatorProfile.Reuse, NativeAllocator.Parse("reuse"));
        Assert.Equal(AllocatorProfile.Compact, NativeAllocator.Parse(" Compact "));
        Assert.Equal(AllocatorProfile.Default, NativeAllocator.Parse("default"));
        Assert.Contains("compact", Assert.Throws<ArgumentException>(() => NativeAllocator.Parse("jemalloc")).Message);
        // the other profiles change process-wide malloc behaviour, so the test process only applies the default
        Assert.True(NativeAllocator.Apply(AllocatorProfile.Default));
        Assert.StartsWith(OperatingSystem.IsLinux() ? "glibc-default" : "platform-default", NativeAllocator.Description);
    }
}
