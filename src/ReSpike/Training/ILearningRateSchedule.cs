namespace ReSpike.Training;

/// <summary>The learning rate of each epoch (stepped once per epoch, as the reference's scheduler).</summary>
public interface ILearningRateSchedule
{
    double At(int epoch);
}
