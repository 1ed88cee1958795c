using System.Text.RegularExpressions;

namespace ReSpike.Models;

/// <summary>
/// Maps parameter names of the PyTorch reference (`respike_ref.py`) to ours. One table:
/// <code>
/// reference                     ours
/// ann_stem.0.*                  ann.conv1.*
/// ann_stem.1.*                  ann.bn1.*
/// ann_layers.{i}.*              ann.layer{i+1}.*        (torchvision names inside)
/// snn_stem.{0,1}.*              snn.stem.{0,1}.*
/// snn_layers.{i}.{j}.*          snn.layer{i+1}.{j}.*    (conv1, bn1, conv2, bn2, shortcut.1, shortcut.2)
/// fusions.{i}.*                 fusions.{i}.*           (norm, proj_in, ln1-3, self_attn, cross_attn, ff_in, ff_out, proj_out)
/// fc.*                          fc.*
/// </code>
/// Under "ann." our names are exactly torchvision's, so torchvision ImageNet weights load with the prefix "ann.".
/// </summary>
public static partial class ReferenceNames
{
    [GeneratedRegex(@"^ann_layers\.(\d)\.(.+)$")] private static partial Regex AnnLayer();
    [GeneratedRegex(@"^snn_layers\.(\d)\.(.+)$")] private static partial Regex SnnLayer();
    [GeneratedRegex(@"^(ann|snn)\.layer(\d)\.(.+)$")] private static partial Regex OurLayer();

    /// <summary>Our name for a reference name, or null when the name is not part of the reference model.</summary>
    public static string? ToOurs(string reference)
    {
        if (reference.StartsWith("ann_stem.0.", StringComparison.Ordinal)) return "ann.conv1." + reference["ann_stem.0.".Length..];
        if (reference.StartsWith("ann_stem.1.", StringComparison.Ordinal)) return "ann.bn1." + reference["ann_stem.1.".Length..];
        if (AnnLayer().Match(reference) is { Success: true } a) return $"ann.layer{int.Parse(a.Groups[1].Value) + 1}.{a.Groups[2].Value}";
        if (reference.StartsWith("snn_stem.", StringComparison.Ordinal)) return "snn.stem." + reference["snn_stem.".Length..];
        if (SnnLayer().Match(reference) is { Success: true } s) return $"snn.layer{int.Parse(s.Groups[1].Value) + 1}.{s.Groups[2].Value}";
        if (reference.StartsWith("fusions.", StringComparison.Ordinal) || reference.StartsWith("fc.", StringComparison.Ordinal)) return reference;
        return null;
    }

    /// <summary>The reference's name for one of ours (inverse of <see cref="ToOurs"/>), or null.</summary>
    public static string? ToReference(string ours)
    {
        if (ours.StartsWith("ann.conv1.", StringComparison.Ordinal)) return "ann_stem.0." + ours["ann.conv1.".Length..];
        if (ours.StartsWith("ann.bn1.", StringComparison.Ordinal)) return "ann_stem.1." + ours["ann.bn1.".Length..];
        if (OurLayer().Match(ours) is { Success: true } m) return $"{m.Groups[1].Value}_layers.{int.Parse(m.Groups[2].Value) - 1}.{m.Groups[3].Value}";
        if (ours.StartsWith("snn.stem.", StringComparison.Ordinal)) return "snn_stem." + ours["snn.stem.".Length..];
        if (ours.StartsWith("fusions.", StringComparison.Ordinal) || ours.StartsWith("fc.", StringComparison.Ordinal)) return ours;
        return null;
    }
}
