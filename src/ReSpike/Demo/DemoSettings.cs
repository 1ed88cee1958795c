namespace ReSpike.Demo;

/// <summary>
/// The built-in demo's settings: the synthetic dataset at 32 px, 8-frame clips with stride 4
/// (2 key frames, 3 SNN timesteps each), trained briefly from scratch. Chosen to finish in a few
/// minutes on 2 cores while still separating the motion-only classes.
/// </summary>
public sealed record DemoSettings
{
    public string OutputDirectory { get; init; } = "respike-demo";
    public int Seed { get; init; } = 1001;
    public int Epochs { get; init; } = 12;
    public int ImageSize { get; init; } = 32;
    public int Frames { get; init; } = 8;
    public int Stride { get; init; } = 4;
    public int VideosPerClass { get; init; } = 32;
    public int BatchSize { get; init; } = 16;
    public string Optimizer { get; init; } = "adamw";
    public double LearningRate { get; init; } = 1e-3;
    public double MinCropScale { get; init; } = 0.5;
    public int Threads { get; init; }

    /// <summary>Test clips the firing rates (and so the energy per clip) are averaged over; 0 skips the energy column.</summary>
    public int EnergySamples { get; init; } = 100;
}
