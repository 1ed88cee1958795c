namespace ReSpike.Training.Hooks;

/// <summary>How a run ended, as hooks see it in <see cref="ITrainingHook.AfterRun"/>.</summary>
public enum RunOutcome
{
    /// <summary>Still running (before <see cref="ITrainingHook.AfterRun"/>).</summary>
    Running,
    /// <summary>Every epoch done.</summary>
    Completed,
    /// <summary>Cancelled (Ctrl-C) in the middle of an epoch; a resume point is due.</summary>
    Interrupted,
    /// <summary>Stopped by an exception (e.g. a diverging loss); nothing more should be saved.</summary>
    Failed,
}
