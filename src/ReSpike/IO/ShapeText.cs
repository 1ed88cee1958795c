namespace ReSpike.IO;

/// <summary>Shapes in messages look like PyTorch's sizes: [64, 3, 7, 7].</summary>
public static class ShapeText
{
    /// <summary>"[64, 3, 7, 7]".</summary>
    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
