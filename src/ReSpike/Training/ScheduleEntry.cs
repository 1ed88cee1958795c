using ReSpike.Registry;

namespace ReSpike.Training;

/// <summary>Builds a schedule from the base rate, the number of epochs and the warm-up epochs.</summary>
public delegate ILearningRateSchedule ScheduleFactory(double baseRate, int epochs, int warmupEpochs);

/// <summary>A registered learning-rate schedule (a --schedule value).</summary>
public sealed record ScheduleEntry(string Name, string Description, ScheduleFactory Create) : IRegistryEntry;
