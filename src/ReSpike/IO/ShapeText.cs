namespace ReSpike.IO;

/// <summary>Shapes in messages look like PyTorch's sizes: [64, 3, 7, 7].</summary>
internal static class ShapeText
{
    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
