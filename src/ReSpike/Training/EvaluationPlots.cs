using ReSpike.Plotting;

namespace ReSpike.Training;

/// <summary>Confusion-matrix heatmap PNG of an evaluation (rows normalised: each true class sums to 1).</summary>
public static class EvaluationPlots
{
    public static void WriteConfusion(string path, EvaluationReport report)
    {
        int n = report.Confusion.Length;
        var counts = new long[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) counts[i, j] = report.Confusion[i][j];
        ConfusionMatrixChart.Write(path, counts, report.PerClass.Select(c => c.Name).ToList(),
            $"Confusion matrix ({report.Videos} videos, video top-1 {report.VideoTop1:P1})");
    }
}
