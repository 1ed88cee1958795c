using System.Text.Json.Serialization;

namespace ReSpike.Data;

/// <summary>
/// How UCF-101's classes are numbered (--label-order). classInd.txt's numbering is this project's default; the
/// reference (torchvision's UCF101) numbers the class folders in Python sorted() order, i.e. ordinal (code-point)
/// order with uppercase before lowercase. On the real 101 classes the two differ in two pairs
/// (Hammering/HammerThrow, JumpingJack/JumpRope), so checkpoints exchanged with the reference need <see cref="Folders"/>.
/// </summary>
public enum LabelOrder
{
    /// <summary>classInd.txt's numbering (label = index - 1).</summary>
    [JsonStringEnumMemberName("classind")]
    ClassInd,

    /// <summary>torchvision's: the class names sorted ordinally (Python sorted()).</summary>
    [JsonStringEnumMemberName("folders")]
    Folders,
}

/// <summary>The --label-order names of <see cref="LabelOrder"/> and the parsing between them.</summary>
public static class LabelOrders
{
    /// <summary>The --label-order values.</summary>
    public static readonly IReadOnlyList<string> Names = ["classind", "folders"];

    public static string Name(this LabelOrder order) => order == LabelOrder.Folders ? "folders" : "classind";

    public static LabelOrder Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "classind" => LabelOrder.ClassInd,
        "folders" => LabelOrder.Folders,
        _ => throw new ArgumentException($"--label-order: unknown label order '{name}'; choose one of {string.Join(", ", Names)}"),
    };

    /// <summary>The class names in this order: <paramref name="classInd"/> unchanged, or sorted as Python's sorted() sorts them.</summary>
    public static IReadOnlyList<string> Apply(this LabelOrder order, IReadOnlyList<string> classInd) =>
        order == LabelOrder.Folders ? classInd.Order(StringComparer.Ordinal).ToList() : classInd;

    /// <summary>
    /// The order a model's saved class names were numbered in: names in ordinal order can only come from
    /// <see cref="LabelOrder.Folders"/> unless classInd.txt is itself sorted, in which case both orders agree.
    /// </summary>
    public static LabelOrder Of(IReadOnlyList<string> classNames) =>
        classNames.Zip(classNames.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) < 0) ? LabelOrder.Folders : LabelOrder.ClassInd;
}
