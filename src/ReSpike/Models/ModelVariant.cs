namespace ReSpike.Models;

/// <summary>The network variants of the paper's ablation.</summary>
public enum ModelVariant
{
    /// <summary>ANN on key frames + SNN on residual frames + cross-attention fusion at four scales.</summary>
    ReSpike,
    /// <summary>Both branches, no fusion: they meet only at the head.</summary>
    ReSpikeNoAttention,
    /// <summary>Key frames only: ResNet, global average pool, linear head, averaged over segments.</summary>
    Ann,
    /// <summary>Residual frames only: the spiking branch and a linear head.</summary>
    Snn,
}

/// <summary>Where the cross-attention runs.</summary>
public enum FusionMode
{
    /// <summary>Reference behaviour (--downsample): stages 1-2 are pooled to the stage-3 grid, fused, upsampled back bilinearly.</summary>
    Pooled,
    /// <summary>All four stages fuse at full resolution (the reference's non-downsample mode drops fusion 1; this does not).</summary>
    Full,
}

public static class ModelNames
{
    static readonly (ModelVariant Variant, string Name)[] Variants =
        [(ModelVariant.ReSpike, "respike"), (ModelVariant.ReSpikeNoAttention, "respike-noattn"), (ModelVariant.Ann, "ann"), (ModelVariant.Snn, "snn")];

    public static IEnumerable<string> VariantNames => Variants.Select(v => v.Name);

    public static string Name(this ModelVariant variant) => Variants.First(v => v.Variant == variant).Name;

    public static ModelVariant ParseVariant(string name) =>
        Variants.FirstOrDefault(v => v.Name == name.Trim().ToLowerInvariant()) is { Name: not null } found
            ? found.Variant
            : throw new ArgumentException($"unknown model '{name}'; choose one of {string.Join(", ", VariantNames)}");

    public static string Name(this FusionMode mode) => mode == FusionMode.Pooled ? "pooled" : "full";

    public static FusionMode ParseFusion(string name) => name.Trim().ToLowerInvariant() switch
    {
        "pooled" => FusionMode.Pooled,
        "full" => FusionMode.Full,
        _ => throw new ArgumentException($"unknown fusion mode '{name}'; choose pooled or full"),
    };

    public static bool UsesAnn(this ModelVariant v) => v != ModelVariant.Snn;
    public static bool UsesSnn(this ModelVariant v) => v != ModelVariant.Ann;
    public static bool UsesFusion(this ModelVariant v) => v == ModelVariant.ReSpike;
}
