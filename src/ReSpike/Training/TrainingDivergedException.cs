namespace ReSpike.Training;

/// <summary>The loss became NaN or infinite: training stops instead of continuing on garbage.</summary>
public sealed class TrainingDivergedException(int epoch, int step, double loss)
    : InvalidOperationException($"training diverged: the loss is {loss} at epoch {epoch}, step {step}; " +
                                "lower --lr (or add --warmup), and check the input data; the last good checkpoint was kept")
{
    public int Epoch { get; } = epoch;
    public int Step { get; } = step;
}
