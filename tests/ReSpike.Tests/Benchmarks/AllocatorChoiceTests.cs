using ReSpike.Runtime;

namespace ReSpike.Tests.Benchmarks;

/// <summary>The --allocator policy, a library rule: auto is tcmalloc for training where it is installed (else glibc's default) and reuse for inference.</summary>
public class AllocatorChoiceTests
{
    static readonly AllocatorProfile TrainingAuto = PreloadedAllocator.Find() is null ? AllocatorProfile.Default : AllocatorProfile.Tcmalloc;

    [Theory]
    [InlineData("auto", false, AllocatorProfile.Reuse)]
    [InlineData("reuse", true, AllocatorProfile.Reuse)]
    [InlineData("compact", false, AllocatorProfile.Compact)]
    [InlineData("default", true, AllocatorProfile.Default)]
    [InlineData("tcmalloc", false, AllocatorProfile.Tcmalloc)]
    public void A_choice_gives_its_profile(string choice, bool training, AllocatorProfile expected) =>
        Assert.Equal(expected, NativeAllocator.Choose(choice, training));

    [Fact]
    public void Auto_trains_on_tcmalloc_where_it_is_installed()
    {
        Assert.Equal(TrainingAuto, NativeAllocator.Choose("auto", training: true));
        // .ci/run installs libtcmalloc-minimal4, so CI runs the tcmalloc side of this rule
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Equal(AllocatorProfile.Tcmalloc, TrainingAuto);
    }

    [Fact]
    public void The_choices_are_auto_and_every_profile_and_nothing_else_parses()
    {
        Assert.Equal(["auto", "default", "reuse", "compact", "tcmalloc"], NativeAllocator.Choices);
        Assert.Throws<ArgumentException>(() => NativeAllocator.Choose("fast", training: false));
    }

    [Fact]
    public void The_relaunch_preloads_the_library_first_and_keeps_what_was_preloaded()
    {
        var env = PreloadedAllocator.RelaunchEnvironment(new Dictionary<string, string> { ["PATH"] = "/bin", ["LD_PRELOAD"] = "/opt/libother.so" }, "/usr/lib/libtcmalloc_minimal.so.4");
        Assert.Contains("LD_PRELOAD=/usr/lib/libtcmalloc_minimal.so.4:/opt/libother.so", env);
        Assert.Contains($"{PreloadedAllocator.RelaunchedVariable}=1", env);
        Assert.Contains("PATH=/bin", env);
        var fresh = PreloadedAllocator.RelaunchEnvironment(new Dictionary<string, string>(), "/x/libtcmalloc_minimal.so.4");
        Assert.Contains("LD_PRELOAD=/x/libtcmalloc_minimal.so.4", fresh);
    }

    [Fact]
    public void Applying_tcmalloc_without_it_preloaded_reports_so()
    {
        if (PreloadedAllocator.IsLoaded()) return;   // this test process runs on tcmalloc already (started with LD_PRELOAD)
        Assert.False(NativeAllocator.Apply(AllocatorProfile.Tcmalloc));
        Assert.Equal("glibc-default (tcmalloc not preloaded)", NativeAllocator.Description);
    }

    [Fact]
    public void The_command_line_is_read_back_as_the_kernel_started_it()
    {
        var argv = PreloadedAllocator.CommandLine();
        Assert.NotEmpty(argv);
        Assert.DoesNotContain(argv, a => a.Contains('\0'));
    }
}
