namespace ReSpike.Training;

/// <summary>The files a training run writes in its output folder.</summary>
public sealed class RunFiles(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string Config => Path.Combine(Directory, "config.json");
    public string Metrics => Path.Combine(Directory, "metrics.jsonl");
    public string Last => Path.Combine(Directory, "last.safetensors");
    public string Best => Path.Combine(Directory, "best.safetensors");
    public string TensorBoard => Path.Combine(Directory, "tensorboard");
    public string LossCurve => Path.Combine(Directory, "loss.png");
    public string AccuracyCurve => Path.Combine(Directory, "accuracy.png");
    public string Summary => Path.Combine(Directory, "summary.json");
    /// <summary>The interval log lines (loss, lr, clips/s, data wait, memory, ETA) and one line per epoch; appended to by resumed runs.</summary>
    public string RunLog => Path.Combine(Directory, "run.log");
}
