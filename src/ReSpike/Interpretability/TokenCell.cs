using System.Globalization;

namespace ReSpike.Interpretability;

/// <summary>A token of a fusion layer's grid: column <see cref="X"/> and row <see cref="Y"/>, (0, 0) the top-left patch.</summary>
public readonly record struct TokenCell(int X, int Y)
{
    /// <summary>The token's index in the flattened (row-major) token sequence of a grid <paramref name="gridWidth"/> wide.</summary>
    public int Index(int gridWidth) => Y * gridWidth + X;

    /// <summary>The cell of token <paramref name="index"/> on a grid <paramref name="gridWidth"/> wide.</summary>
    public static TokenCell At(int index, int gridWidth) => new(index % gridWidth, index / gridWidth);

    /// <summary>Parses "x,y" (--query); the error names the flag and the expected form.</summary>
    public static TokenCell Parse(string text, string flag = "--query")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int x)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int y))
            return new(x, y);
        throw new FormatException($"{flag} '{text}': expected the token's column and row as x,y (0-based, e.g. 1,0)");
    }

    public override string ToString() => $"{X},{Y}";
}
