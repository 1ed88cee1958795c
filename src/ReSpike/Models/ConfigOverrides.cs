namespace ReSpike.Models;

/// <summary>
/// The <see cref="ReSpikeConfig"/> settings a user gave explicitly (null: not given), laid over a base config
/// (a checkpoint's, a config file's or the defaults). Names in messages are the command-line flags.
/// </summary>
public sealed record ConfigOverrides
{
    /// <summary>The model's registry name (--model).</summary>
    public string? Name { get; init; }
    public string? Backbone { get; init; }
    public int? NumClasses { get; init; }
    public int? Stride { get; init; }
    public int? Frames { get; init; }
    public int? ImageSize { get; init; }
    public FusionMode? Fusion { get; init; }

    /// <summary><paramref name="baseConfig"/> with every given setting in place of its own.</summary>
    public ReSpikeConfig ApplyTo(ReSpikeConfig baseConfig) => baseConfig with
    {
        Name = Name ?? baseConfig.Name,
        Backbone = Backbone ?? baseConfig.Backbone,
        NumClasses = NumClasses ?? baseConfig.NumClasses,
        Stride = Stride ?? baseConfig.Stride,
        Frames = Frames ?? baseConfig.Frames,
        ImageSize = ImageSize ?? baseConfig.ImageSize,
        Fusion = Fusion ?? baseConfig.Fusion,
    };

    /// <summary>
    /// The flags given that change the network's parameters (model, backbone, classes, fusion), in that order:
    /// a checkpoint fixes them. Image, frames and stride only change the input, so weights still load.
    /// </summary>
    public IEnumerable<string> ArchitectureFlags()
    {
        if (Name is not null) yield return "--model";
        if (Backbone is not null) yield return "--backbone";
        if (NumClasses is not null) yield return "--classes";
        if (Fusion is not null) yield return "--fusion";
    }
}
