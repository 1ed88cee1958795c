namespace ReSpike.Experiments;

/// <summary>The report files an experiment writes in its grid folder, named after the experiment (ablation.md, stride.csv, ...).</summary>
public sealed class ExperimentFiles(string directory, string name)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string Name { get; } = name;
    public string Markdown => Path.Combine(Directory, Name + ".md");
    public string Csv => Path.Combine(Directory, Name + ".csv");
    public string Json => Path.Combine(Directory, Name + ".json");
    /// <summary>Accuracy against energy, one labelled point per cell.</summary>
    public string AccuracyEnergyPlot => Path.Combine(Directory, Name + ".png");
    /// <summary>Stride sweeps only: accuracy and energy against the stride (Fig. 5).</summary>
    public string StridePlot => Path.Combine(Directory, Name + "_per_stride.png");
}
