namespace ReSpike.Training.Hooks;

/// <summary>
/// Something that acts at fixed points of a training run (mmaction2's hooks): the trainer runs the loop and calls every
/// hook of <see cref="Trainer.Hooks"/> in list order at each point, passing the run's <see cref="TrainingContext"/>.
/// Every method does nothing unless implemented. The default hooks (<see cref="DefaultHooks"/>) write the run folder.
/// </summary>
public interface ITrainingHook
{
    /// <summary>Once, after the model, optimizer and (on resume) the saved state are loaded, before the first step.</summary>
    void BeforeRun(TrainingContext context) { }

    /// <summary>When an epoch's training starts (a resumed epoch too, at the step it resumes from).</summary>
    void BeforeEpoch(TrainingContext context) { }

    /// <summary>After each optimisation step: <see cref="TrainingContext.LastStep"/> and the running state are that step's.</summary>
    void AfterStep(TrainingContext context) { }

    /// <summary>After an epoch's evaluation: <see cref="TrainingContext.Metrics"/>, <see cref="TrainingContext.IsBest"/> and the next epoch's state are set.</summary>
    void AfterEpoch(TrainingContext context) { }

    /// <summary>Once at the end: completed, interrupted (Ctrl-C) or failed, as <see cref="TrainingContext.Outcome"/> says.</summary>
    void AfterRun(TrainingContext context) { }
}
