using System.Text.Json;
using ReSpike.Benchmarks;
using ReSpike.Diagnostics;
using ReSpike.Models;
using ReSpike.Runtime;

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
        Assert.Equal(Math.Round(report.StepSeconds.Average(), 4), report.SPerStep, 3);
        Assert.InRange(report.ClipsPerS * report.SPerStep, 0.98, 1.02);   // batch 1: clips/s = 1 / (s/step), both rounded
        Assert.True(report.PeakRssMb > 50, $"peak RSS {report.PeakRssMb} MiB is implausibly small for a process with libtorch loaded");

        // the CLI writes snake_case: these are the names docs/cli.md promises
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.GetProperty("clips_per_s").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("s_per_step").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("peak_rss_mb").GetDouble() > 0);
    }

    [Fact]
    public void Bench_settings_name_the_flag_at_fault()
    {
        Assert.Contains("--batch", Assert.Throws<ArgumentException>(() => new ThroughputBenchSettings { Model = Tiny, Batch = 0 }.Validate()).Message);
        Assert.Contains("--steps", Assert.Throws<ArgumentException>(() => new ThroughputBenchSettings { Model = Tiny, Steps = 0 }.Validate()).Message);
        Assert.Contains("--frames", Assert.Throws<ArgumentException>(() => new ThroughputBenchSettings { Model = Tiny with { Frames = 5 } }.Validate()).Message);
    }

    [Fact]
    public void Lif_bench_times_both_kernels()
    {
        var result = LifBench.Run(timesteps: 3, shape: [2, 8, 9], repeats: 2, warmup: 1);
        Assert.Equal(3, result.Timesteps);
        Assert.Equal(new long[] { 2, 8, 9 }, result.Shape);
        Assert.True(result.OpByOpForwardMs > 0 && result.FusedForwardMs > 0);
        Assert.True(result.OpByOpForwardBackwardMs > 0 && result.FusedForwardBackwardMs > 0);
        Assert.True(result.FusedForwardBackwardBestMs <= result.FusedForwardBackwardMs);
    }

    [Fact]
    public void Process_memory_reads_current_and_peak_resident_size()
    {
        if (!OperatingSystem.IsLinux()) return;
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
