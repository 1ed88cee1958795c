namespace ReSpike.Training.Hooks;

/// <summary>loss.png and accuracy.png, redrawn after every epoch so a stopped run has them up to its last epoch.</summary>
public sealed class CurvesHook : ITrainingHook
{
    public void AfterEpoch(TrainingContext context) => TrainingCurves.Write(context.Files, context.History);

    // a resumed run with no epoch left still leaves its curves
    public void AfterRun(TrainingContext context)
    {
        if (context.Outcome == RunOutcome.Completed) TrainingCurves.Write(context.Files, context.History);
    }
}
