using ReSpike.Registry;

namespace ReSpike.Training;

/// <summary>The --schedule choices; a new schedule is one registration here.</summary>
public static class ScheduleRegistry
{
    public static Registry<ScheduleEntry> Schedules { get; } = Build();

    static Registry<ScheduleEntry> Build()
    {
        var r = new Registry<ScheduleEntry>("schedule", "--schedule");
        r.Add(new("cosine", "cosine annealing to 0 over the epochs (the reference's CosineAnnealingLR), after an optional linear warm-up",
                  (rate, epochs, warmup) => new LearningRateSchedule(rate, epochs, warmup)));
        return r;
    }
}
