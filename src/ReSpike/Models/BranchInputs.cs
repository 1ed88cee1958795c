using System.Text.Json.Serialization;

namespace ReSpike.Models;

/// <summary>
/// What the ANN branch of a <see cref="ReSpikeNet"/> sees of a clip of T frames cut into K = T/s groups of s frames
/// (the ablation's "data" column). Every routed frame is one forward pass and one vote: logits are averaged over them.
/// </summary>
public enum AnnInput
{
    /// <summary>The first frame of every group: K frames (ReSpike, E4).</summary>
    Key,
    /// <summary>Every RGB frame of the clip: T frames (E1, the 2D ResNet baseline of Table 1).</summary>
    All,
    /// <summary>The residuals frame_j - key of every group: K(s-1) frames (E5).</summary>
    Residual,
}

/// <summary>What the spiking branch of a <see cref="ReSpikeNet"/> sees, one frame per timestep.</summary>
public enum SnnInput
{
    /// <summary>The s-1 residuals of each group, one group per sequence (ReSpike, E6): the membranes restart every group.</summary>
    Residual,
    /// <summary>Every RGB frame of the clip as one sequence of T timesteps (E2, MS-ResNet* of Table 1; E3 in the hybrid).</summary>
    Rgb,
    /// <summary>The K key frames as one sequence of K timesteps (E7).</summary>
    Key,
}

/// <summary>The config and --set names of <see cref="AnnInput"/> and <see cref="SnnInput"/>.</summary>
public static class BranchInputNames
{
    static readonly (AnnInput Input, string Name)[] AnnNames = [(AnnInput.Key, "key"), (AnnInput.All, "all"), (AnnInput.Residual, "residual")];
    static readonly (SnnInput Input, string Name)[] SnnNames = [(SnnInput.Residual, "residual"), (SnnInput.Rgb, "rgb"), (SnnInput.Key, "key")];

    /// <summary>The model.ann_input values: key, all, residual.</summary>
    public static IEnumerable<string> AnnInputNames => AnnNames.Select(n => n.Name);

    /// <summary>The model.snn_input values: residual, rgb, key.</summary>
    public static IEnumerable<string> SnnInputNames => SnnNames.Select(n => n.Name);

    public static string Name(this AnnInput input) => AnnNames.First(n => n.Input == input).Name;

    public static string Name(this SnnInput input) => SnnNames.First(n => n.Input == input).Name;

    public static AnnInput ParseAnnInput(string name) =>
        AnnNames.FirstOrDefault(n => n.Name == name.Trim().ToLowerInvariant()) is { Name: not null } found
            ? found.Input
            : throw new ArgumentException($"--ann-input: unknown ANN input '{name}'; choose one of {string.Join(", ", AnnInputNames)}");

    public static SnnInput ParseSnnInput(string name) =>
        SnnNames.FirstOrDefault(n => n.Name == name.Trim().ToLowerInvariant()) is { Name: not null } found
            ? found.Input
            : throw new ArgumentException($"--snn-input: unknown SNN input '{name}'; choose one of {string.Join(", ", SnnInputNames)}");
}
