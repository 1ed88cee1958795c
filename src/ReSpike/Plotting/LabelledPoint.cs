namespace ReSpike.Plotting;

/// <summary>A point of a <see cref="ScatterChart"/> with its text label; points of one <see cref="Group"/> share a colour and legend entry.</summary>
public sealed record LabelledPoint(double X, double Y, string Label, string? Group = null);
