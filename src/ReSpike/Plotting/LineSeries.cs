namespace ReSpike.Plotting;

/// <summary>One named curve of a <see cref="LineChart"/>: points (X[i], Y[i]).</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A series over 1, 2, 3, ... (e.g. per-epoch values).</summary>
    public static LineSeries OverIndex(string name, IReadOnlyList<double> y) =>
        new(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);
}
