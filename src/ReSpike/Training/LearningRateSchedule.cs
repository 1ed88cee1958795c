namespace ReSpike.Training;

/// <summary>
/// The reference's CosineAnnealingLR(T_max = epochs, eta_min = 0) stepped once per epoch, with an
/// optional linear warm-up over the first epochs (then cosine over the rest).
/// </summary>
public sealed record LearningRateSchedule(double BaseRate, int Epochs, int WarmupEpochs = 0, double MinRate = 0) : ILearningRateSchedule
{
    public double At(int epoch)
    {
        if (epoch < WarmupEpochs) return BaseRate * (epoch + 1) / WarmupEpochs;
        int span = Math.Max(1, Epochs - WarmupEpochs);
        double progress = (double)(epoch - WarmupEpochs) / span;
        return MinRate + (BaseRate - MinRate) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }
}
