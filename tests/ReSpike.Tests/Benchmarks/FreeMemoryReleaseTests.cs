using ReSpike.Runtime;
using ReSpike.Training;
using ReSpike.Training.Hooks;

namespace ReSpike.Tests.Benchmarks;

/// <summary>tcmalloc's free pages go back every few training steps; on glibc nothing happens.</summary>
public class FreeMemoryReleaseTests
{
    [Fact]
    public void Memory_is_released_after_every_nth_step()
    {
        int calls = 0;
        var release = new FreeMemoryRelease(3, () => { calls++; return true; });
        var released = Enumerable.Range(1, 9).Select(_ => release.AfterStep()).ToList();
        Assert.Equal([false, false, true, false, false, true, false, false, true], released);
        Assert.Equal(3, calls);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FreeMemoryRelease(0));
    }

    [Fact]
    public void Without_tcmalloc_the_release_does_nothing_and_says_so()
    {
        if (PreloadedAllocator.IsLoaded()) return;   // this test process was started on tcmalloc
        Assert.False(PreloadedAllocator.ReleaseFreeMemory());
        var release = new FreeMemoryRelease(1);
        Assert.False(release.AfterStep());
    }

    [Fact]
    public void Every_training_run_gets_the_hook_first()
    {
        var hooks = DefaultHooks.For(new TrainingOptions());
        Assert.IsType<FreeMemoryHook>(hooks[0]);
        Assert.Equal(FreeMemoryRelease.DefaultEvery, new FreeMemoryRelease().Every);
    }
}
