using ReSpike.Models;

namespace ReSpike.Experiments;

/// <summary>
/// One cell of an experiment grid: a registered model (<see cref="Model"/>) trained and evaluated with the grid's shared
/// settings plus this cell's own <see cref="Stride"/> and --set assignments. Its run folder is the grid folder's
/// <see cref="Id"/>. Any registered model can be a cell (the E1-E9 presets, the SNN baselines, the 3D ANNs).
/// </summary>
/// <param name="Id">Folder name and table row, e.g. "E9" or "s4" (letters, digits, '-', '_', '.').</param>
/// <param name="Model">The --model name.</param>
/// <param name="Stride">The key-frame stride of this cell (null: the shared setting).</param>
/// <param name="Sets">config.json assignments (--set) applied after the shared ones.</param>
public sealed record ExperimentCell(string Id, string Model, int? Stride = null, IReadOnlyList<string>? Sets = null)
{
    /// <summary>Checks the id is a safe folder name and the model is registered; errors name --cells.</summary>
    public ExperimentCell Validate()
    {
        if (Id.Length == 0 || Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || Id.StartsWith('.'))
            throw new ArgumentException($"--cells: '{Id}' is not a usable cell id (letters, digits, '-', '_', '.')");
        if (!ModelRegistry.Models.Contains(Model)) throw ModelRegistry.Models.Unknown(Model);
        return this;
    }

    /// <summary>
    /// The cells a --cells list names: E1-E9 are the paper's ablation rows (<see cref="ReSpikePresets.OfAblation"/>); any other
    /// entry is a registered model name, its own cell (so a Table 1-style grid can mix ReSpike, SNN baselines and 3D ANNs).
    /// </summary>
    public static IReadOnlyList<ExperimentCell> Parse(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentException("--cells: empty list; e.g. --cells E1,E2,E4,E9 (E1-E9, or registered model names)");
        var cells = names.Select(n => ReSpikePresets.OfAblation(n) is { } preset
            ? new ExperimentCell(preset.AblationId!, preset.Name)
            : ModelRegistry.Models.Contains(n.ToLowerInvariant()) ? new ExperimentCell(n.ToLowerInvariant(), n.ToLowerInvariant())
            : throw new ArgumentException($"--cells: '{n}' is neither an ablation row (E1-E9) nor a registered model ({string.Join(", ", ModelRegistry.Models.Names)})"))
            .Select(c => c.Validate()).ToList();
        var repeated = cells.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"--cells: '{repeated.Key}' is listed twice");
        return cells;
    }

    /// <summary>The paper's ablation E1-E9, in order.</summary>
    public static IReadOnlyList<ExperimentCell> Ablation { get; } =
        ReSpikePresets.All.Where(p => p.AblationId is not null).OrderBy(p => int.Parse(p.AblationId![1..]))
            .Select(p => new ExperimentCell(p.AblationId!, p.Name)).ToList();

    /// <summary>Fig. 5's stride sweep of <paramref name="model"/>: one cell per stride, ids s2, s4, s8.</summary>
    public static IReadOnlyList<ExperimentCell> Strides(string model, IReadOnlyList<int> strides) =>
        strides.Select(s => s >= 1 ? new ExperimentCell($"s{s}", model, s).Validate() : throw new ArgumentException($"--strides: {s} is not a stride (>= 1)")).ToList();

    /// <summary>The paper's strides, s in {2, 4, 8}.</summary>
    public static IReadOnlyList<int> PaperStrides { get; } = [2, 4, 8];
}
