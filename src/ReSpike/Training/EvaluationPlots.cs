namespace ReSpike.Training;

/// <summary>Confusion-matrix heatmap PNG (drawn with the plotting module).</summary>
public static class EvaluationPlots
{
    public static void WriteConfusion(string path, EvaluationReport report)
    {
        // filled in when the plotting module lands (issue 6 branch)
    }
}
