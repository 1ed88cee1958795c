namespace ReSpike.Data.Transforms;

/// <summary>
/// The training crop: torchvision's RandomResizedCrop (the reference's UCF-101/HMDB-51 recipe) or
/// TSN's GroupMultiScaleCrop with the 13 fixed offsets (the reference's Kinetics-400 recipe).
/// </summary>
public enum TrainCrop
{
    RandomResized,
    Multiscale,
}

/// <summary>The command-line names of <see cref="TrainCrop"/> (the same spelling config.json uses).</summary>
public static class TrainCrops
{
    public static IReadOnlyList<string> Names { get; } = ["random-resized", "multiscale"];

    public static string Name(this TrainCrop crop) => crop switch
    {
        TrainCrop.RandomResized => "random-resized",
        TrainCrop.Multiscale => "multiscale",
        _ => throw new ArgumentOutOfRangeException(nameof(crop), crop, null),
    };

    public static TrainCrop Parse(string text) => text switch
    {
        "random-resized" => TrainCrop.RandomResized,
        "multiscale" or "multi-scale" => TrainCrop.Multiscale,
        _ => throw new ArgumentException($"--train-crop: unknown crop '{text}' (use random-resized or multiscale)"),
    };
}
