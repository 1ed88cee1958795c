using ReSpike.Runtime;

namespace ReSpike.Training.Hooks;

/// <summary>Returns tcmalloc's free pages to the kernel every few optimizer steps (<see cref="FreeMemoryRelease"/>); nothing on glibc.</summary>
public sealed class FreeMemoryHook(FreeMemoryRelease? release = null) : ITrainingHook
{
    readonly FreeMemoryRelease _release = release ?? new FreeMemoryRelease();

    public void AfterStep(TrainingContext context) => _release.AfterStep();
}
