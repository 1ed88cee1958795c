using System.Text.Json.Serialization;

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
    /// <summary>All four stages fuse at full resolution. Not in the reference (its non-downsample mode is <see cref="Full3"/>).</summary>
    Full,
    /// <summary>
    /// The reference without --downsample (AttentionResNet): fusion 1 is commented out there, so only the fusions after
    /// stages 2-4 run, each at full resolution on the raw ANN stage tokens. Fusion 1's parameters still exist (same state
    /// dict and parameter count as the other modes) but take no part in the forward and get no gradient.
    /// </summary>
    [JsonStringEnumMemberName("full3")]
    Full3,
}

/// <summary>The --model and --fusion names of <see cref="ModelVariant"/> and <see cref="FusionMode"/>, parsing, and what each variant uses.</summary>
public static class ModelNames
{
    // the registry names of the variants; the second spelling is how checkpoints before the registry stored them
    static readonly (ModelVariant Variant, string Name, string Legacy)[] Variants =
    [
        (ModelVariant.ReSpike, "respike", "re-spike"), (ModelVariant.ReSpikeNoAttention, "respike-noattn", "re-spike-no-attention"),
        (ModelVariant.Ann, "ann", "ann"), (ModelVariant.Snn, "snn", "snn"),
    ];

    /// <summary>The registry names of the ReSpike variants.</summary>
    public static IEnumerable<string> VariantNames => Variants.Select(v => v.Name);

    public static string Name(this ModelVariant variant) => Variants.First(v => v.Variant == variant).Name;

    /// <summary>
    /// A variant from its registry name, its pre-registry checkpoint spelling ("re-spike-no-attention") or the name of a
    /// <see cref="ReSpikePreset"/> built on it (e.g. ms-resnet18 is the snn variant).
    /// </summary>
    public static ModelVariant ParseVariant(string name) =>
        Variants.FirstOrDefault(v => v.Name == name.Trim().ToLowerInvariant() || v.Legacy == name.Trim().ToLowerInvariant()) is { Name: not null } found
            ? found.Variant
            : ReSpikePresets.All.FirstOrDefault(p => p.Name == name.Trim().ToLowerInvariant())?.Variant
              ?? throw new ArgumentException($"--model: '{name}' is not a ReSpike variant ({string.Join(", ", VariantNames)})");

    /// <summary>The registry name for a model name read from a checkpoint or config (maps the pre-registry spellings).</summary>
    public static string Canonical(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        return Variants.FirstOrDefault(v => v.Legacy == key) is { Name: not null } legacy ? legacy.Name : key;
    }

    static readonly (FusionMode Mode, string Name)[] Fusions =
        [(FusionMode.Pooled, "pooled"), (FusionMode.Full, "full"), (FusionMode.Full3, "full3")];

    /// <summary>The --fusion values: pooled, full, full3.</summary>
    public static IEnumerable<string> FusionNames => Fusions.Select(f => f.Name);

    public static string Name(this FusionMode mode) => Fusions.First(f => f.Mode == mode).Name;

    public static FusionMode ParseFusion(string name) =>
        Fusions.FirstOrDefault(f => f.Name == name.Trim().ToLowerInvariant()) is { Name: not null } found
            ? found.Mode
            : throw new ArgumentException($"--fusion: unknown fusion mode '{name}'; choose one of {string.Join(", ", FusionNames)}");

    /// <summary>Whether the fusion block after SNN stage <paramref name="stage"/> (0-3) runs in this mode (all but stage 0 in full3).</summary>
    public static bool FusesStage(this FusionMode mode, int stage) => mode != FusionMode.Full3 || stage > 0;

    public static bool UsesAnn(this ModelVariant v) => v != ModelVariant.Snn;
    public static bool UsesSnn(this ModelVariant v) => v != ModelVariant.Ann;
    public static bool UsesFusion(this ModelVariant v) => v == ModelVariant.ReSpike;
}
