using System.Text.Json;
using ReSpike.Runtime;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;

namespace ReSpike.Tests.Benchmarks;

/// <summary>--allocator tcmalloc: the CLI starts itself again with the library preloaded, or says what to install.</summary>
public class PreloadedAllocatorTests
{
    static readonly string[] TinyTrainingBench =
        ["bench", "--train", "--model", "respike", "--image", "32", "--frames", "4", "--stride", "2", "--classes", "5", "--batch", "1", "--steps", "1", "--warmup", "0", "--threads", "1"];

    [Fact]
    public void The_cli_relaunches_itself_on_tcmalloc_and_reports_it()
    {
        if (PreloadedAllocator.Find() is null)
        {
            // .ci/run installs libtcmalloc-minimal4: there this side must run
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            return;
        }
        using var dir = new TempDirectory();
        var (code, output) = CliProcess.Run([.. TinyTrainingBench, "--allocator", "tcmalloc", "--recompute-spike-layers", "--json", dir.File("b.json")]);
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("b.json")));
        Assert.StartsWith("tcmalloc (preloaded /", json.RootElement.GetProperty("allocator").GetString());
        Assert.True(json.RootElement.GetProperty("recompute_spike_layers").GetBoolean());
        Assert.True(json.RootElement.GetProperty("clips_per_s").GetDouble() > 0);
        Assert.Contains("recomputed in backward", output);
    }

    [Fact]
    public void Tcmalloc_that_is_not_installed_is_a_usage_error_saying_what_to_install()
    {
        using var dir = new TempDirectory();
        var before = Environment.GetEnvironmentVariable(PreloadedAllocator.PathVariable);
        Environment.SetEnvironmentVariable(PreloadedAllocator.PathVariable, dir.File("no-such-libtcmalloc.so"));
        try
        {
            var (code, _, err) = CliHarness.Run([.. TinyTrainingBench, "--allocator", "tcmalloc", "--json", dir.File("b.json")]);
            Assert.Equal(2, code);
            Assert.Contains("--allocator tcmalloc: libtcmalloc_minimal.so.4 is not installed (apt-get install libtcmalloc-minimal4", err);
            Assert.False(File.Exists(dir.File("b.json")));
        }
        finally { Environment.SetEnvironmentVariable(PreloadedAllocator.PathVariable, before); }
    }

    [Fact]
    public void In_another_host_process_an_explicit_tcmalloc_fails_and_auto_falls_back()
    {
        if (PreloadedAllocator.Find() is null || PreloadedAllocator.IsLoaded()) return;   // needs the library installed and not preloaded here
        using var dir = new TempDirectory();
        var (code, _, err) = CliHarness.Run([.. TinyTrainingBench, "--allocator", "tcmalloc", "--json", dir.File("b.json")]);
        Assert.Equal(1, code);
        Assert.Contains("the CLI runs inside another process; start it with LD_PRELOAD=", err);
        (code, _, err) = CliHarness.Run([.. TinyTrainingBench, "--json", dir.File("auto.json")]);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("auto.json")));
        Assert.Equal("glibc-default", json.RootElement.GetProperty("allocator").GetString());
    }
}
