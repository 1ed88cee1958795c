namespace ReSpike.Data.Synthetic;

/// <summary>
/// The synthetic dataset's classes. The four "slide" classes look identical (a white square on a
/// textured background) and differ only in the direction it moves, with wrap-around so that any
/// single frame has the square anywhere: one frame cannot tell them apart. The shape classes differ
/// in appearance and move in a random direction.
/// </summary>
public static class SyntheticClasses
{
    public static readonly IReadOnlyList<string> Names = ["slide_right", "slide_left", "slide_down", "slide_up", "red_disc", "green_cross"];

    /// <summary>Classes that only motion separates (the ANN on key frames is at chance on these).</summary>
    public static readonly IReadOnlyList<int> MotionOnly = [0, 1, 2, 3];

    public static bool IsMotionOnly(int label) => label is >= 0 and <= 3;

    /// <summary>Unit direction (dx, dy) of a slide class.</summary>
    public static (int Dx, int Dy) Direction(int label) => label switch
    {
        0 => (1, 0),
        1 => (-1, 0),
        2 => (0, 1),
        3 => (0, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "not a slide class"),
    };
}
