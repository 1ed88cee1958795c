namespace ReSpike.Training.Hooks;

/// <summary>One optimisation step as it happened.</summary>
/// <param name="Loss">The step's cross-entropy.</param>
/// <param name="Correct">Clips of the batch the logits got right.</param>
/// <param name="Clips">Clips in the batch.</param>
/// <param name="Seconds">Forward, backward and update of the step.</param>
/// <param name="DataWaitSeconds">Time spent waiting for the loader to hand over the batch.</param>
/// <param name="CommunicationSeconds">Part of <paramref name="Seconds"/> spent in collectives with the other ranks (0 in a single process).</param>
public sealed record StepReport(double Loss, int Correct, int Clips, double Seconds, double DataWaitSeconds, double CommunicationSeconds = 0);
