namespace ReSpike.Training.Hooks;

/// <summary>An epoch's metrics as TensorBoard scalars (train/loss, train/top1, train/lr, train/clips_per_s, val/...), x = epoch.</summary>
public sealed class TensorBoardHook : ITrainingHook
{
    public void AfterEpoch(TrainingContext context) => context.TensorBoard.Epoch(context.Metrics!);
}
