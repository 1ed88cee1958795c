namespace ReSpike.Models;

/// <summary>Which spiking trunk a <see cref="ReSpikeNet"/>'s SNN branch is.</summary>
public enum SpikingTrunkKind
{
    /// <summary>MS-ResNet-18: membrane shortcut, real-valued block outputs, no spike after the add (ReSpike's).</summary>
    MsResNet,
    /// <summary>Spiking ResNet-18 with the LIF after the residual add (spikes between blocks; Li et al., TMLR 2023 style).</summary>
    SpikingResNet,
}

/// <summary>What a model is trained to minimise.</summary>
public enum TrainingLossKind
{
    /// <summary>Cross-entropy of the vote-averaged logits.</summary>
    CrossEntropy,
    /// <summary>Temporal efficient training (Deng et al., ICLR 2022): cross-entropy of every timestep's logits plus an MSE pull towards phi (<see cref="TetLoss"/>).</summary>
    Tet,
}

/// <summary>
/// One registered <see cref="ReSpikeNet"/> model: which branches and fusion (<see cref="Variant"/>), what each branch sees
/// by default (a config's model.ann_input / model.snn_input override it), the spiking trunk, the training loss, and the
/// paper's ablation row it is (<see cref="AblationId"/>, E1-E9) or its Table 1 name.
/// </summary>
public sealed record ReSpikePreset(string Name, ModelVariant Variant, AnnInput Ann, SnnInput Snn, string Description, string? AblationId = null)
{
    public SpikingTrunkKind Trunk { get; init; } = SpikingTrunkKind.MsResNet;
    public TrainingLossKind Loss { get; init; } = TrainingLossKind.CrossEntropy;

    /// <summary>The ablation's "data" column for this preset, e.g. "key frames + residuals".</summary>
    public string InputsText(AnnInput ann, SnnInput snn)
    {
        string annText = ann switch { AnnInput.Key => "key frames", AnnInput.All => "all RGB frames", _ => "residual frames" };
        string snnText = snn switch { SnnInput.Residual => "residuals", SnnInput.Rgb => "RGB frames, one per timestep", _ => "key frames, one per timestep" };
        return Variant switch
        {
            ModelVariant.Ann => annText,
            ModelVariant.Snn => snnText,
            _ => $"{annText} + {snnText}",
        };
    }
}

/// <summary>
/// The registered ReSpike-family models. The first four are the original variants (their names are in old checkpoints);
/// the rest complete the paper's ablation E1-E9 and its Table 1 SNN baselines.
/// </summary>
public static class ReSpikePresets
{
    public static IReadOnlyList<ReSpikePreset> All { get; } =
    [
        new("respike", ModelVariant.ReSpike, AnnInput.Key, SnnInput.Residual,
            "ReSpike: ANN on key frames + SNN on residuals + cross-attention fusion at four scales", "E9"),
        new("respike-noattn", ModelVariant.ReSpikeNoAttention, AnnInput.Key, SnnInput.Residual,
            "ReSpike without fusion: the two branches meet only at the head", "E8"),
        new("ann", ModelVariant.Ann, AnnInput.Key, SnnInput.Residual,
            "the ANN branch alone: ResNet on key frames, averaged over segments", "E4"),
        new("snn", ModelVariant.Snn, AnnInput.Key, SnnInput.Residual,
            "the spiking branch alone: MS-ResNet on residual frames", "E6"),
        new("ann-all", ModelVariant.Ann, AnnInput.All, SnnInput.Residual,
            "2D ResNet on every RGB frame, logits averaged over frames (Table 1's 2D ANN)", "E1"),
        new("ms-resnet18", ModelVariant.Snn, AnnInput.Key, SnnInput.Rgb,
            "MS-ResNet-18 on RGB frames, one frame per timestep (Table 1's MS-ResNet*)", "E2"),
        new("respike-rgb", ModelVariant.ReSpike, AnnInput.Key, SnnInput.Rgb,
            "ReSpike with the SNN on all RGB frames instead of residuals (cross-attention to the group's key frame)", "E3"),
        new("ann-res", ModelVariant.Ann, AnnInput.Residual, SnnInput.Residual,
            "2D ResNet on every residual frame, logits averaged over frames", "E5"),
        new("snn-key", ModelVariant.Snn, AnnInput.Key, SnnInput.Key,
            "MS-ResNet-18 on the key frames, one per timestep", "E7"),
        new("snn-resnet18", ModelVariant.Snn, AnnInput.Key, SnnInput.Rgb,
            "spiking ResNet-18 with the spike after the residual add, on RGB frames (Table 1's SNN-ResNet*)")
        { Trunk = SpikingTrunkKind.SpikingResNet },
        new("tet-resnet18", ModelVariant.Snn, AnnInput.Key, SnnInput.Rgb,
            "MS-ResNet-18 on RGB frames trained with the TET loss (Table 1's TET-ResNet*)")
        { Loss = TrainingLossKind.Tet },
    ];

    /// <summary>The preset registered as <paramref name="name"/>.</summary>
    public static ReSpikePreset Of(string name) =>
        All.FirstOrDefault(p => p.Name == ModelNames.Canonical(name))
        ?? throw new ArgumentException($"--model: '{name}' is not a ReSpike-family model ({string.Join(", ", All.Select(p => p.Name))})");

    /// <summary>The preset of an ablation row, E1-E9 (case-insensitive), or null.</summary>
    public static ReSpikePreset? OfAblation(string id) =>
        All.FirstOrDefault(p => string.Equals(p.AblationId, id.Trim(), StringComparison.OrdinalIgnoreCase));
}
