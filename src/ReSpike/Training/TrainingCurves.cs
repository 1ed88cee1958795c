using ReSpike.Plotting;

namespace ReSpike.Training;

/// <summary>PNG curves of a run: training loss, and accuracies (train, clip and video top-1) per epoch.</summary>
public static class TrainingCurves
{
    public static void Write(RunFiles files, IReadOnlyList<EpochMetrics> epochs)
    {
        if (epochs.Count == 0) return;
        var x = epochs.Select(e => (double)e.Epoch).ToArray();
        LineChart.Write(files.LossCurve, [new LineSeries("train loss", x, epochs.Select(e => e.TrainLoss).ToArray())],
            "Training loss", "epoch", "cross-entropy");
        var accuracy = new List<LineSeries> { new("train top-1", x, epochs.Select(e => e.TrainTop1 * 100).ToArray()) };
        if (epochs.All(e => e.ClipTop1 is not null))
        {
            accuracy.Add(new LineSeries("clip top-1 (test)", x, epochs.Select(e => e.ClipTop1!.Value * 100).ToArray()));
            accuracy.Add(new LineSeries("video top-1 (test)", x, epochs.Select(e => e.VideoTop1!.Value * 100).ToArray()));
        }
        LineChart.Write(files.AccuracyCurve, accuracy, "Accuracy", "epoch", "top-1 (%)");
    }
}
