namespace ReSpike.Training;

/// <summary>PNG curves of a finished run (loss; accuracy). Drawn with the plotting module.</summary>
public static class TrainingCurves
{
    public static void Write(RunFiles files, IReadOnlyList<EpochMetrics> epochs)
    {
        // filled in when the plotting module lands (issue 6 branch)
    }
}
