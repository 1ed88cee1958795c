using System.Globalization;

namespace ReSpike.Spiking.Surrogates;

/// <summary>Selects a surrogate by name: "atan", "atan:2", "sigmoid:4", "rectangle:1", "triangle:1".</summary>
public static class Surrogate
{
    /// <summary>Names accepted by <see cref="Parse"/>, with their default parameter.</summary>
    public static IReadOnlyList<SurrogateFunction> Defaults { get; } = [new ATan(), new Sigmoid(), new Rectangle(), new Triangle()];

    public static SurrogateFunction Create(string name, double? parameter = null) => name.Trim().ToLowerInvariant() switch
    {
        "atan" => parameter is { } a ? new ATan(a) : new ATan(),
        "sigmoid" => parameter is { } s ? new Sigmoid(s) : new Sigmoid(),
        "rectangle" or "rect" => parameter is { } w ? new Rectangle(w) : new Rectangle(),
        "triangle" or "tri" => parameter is { } g ? new Triangle(g) : new Triangle(),
        _ => throw new ArgumentException(
            $"unknown surrogate '{name}'; choose one of {string.Join(", ", Defaults.Select(d => d.Name))} " +
            "(optionally with a parameter, e.g. atan:2)", nameof(name)),
    };

    /// <summary>Parses "name" or "name:parameter".</summary>
    public static SurrogateFunction Parse(string spec)
    {
        var parts = spec.Split(':', 2);
        if (parts.Length == 1) return Create(parts[0]);
        if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new ArgumentException($"surrogate '{spec}': '{parts[1]}' is not a number (expected e.g. atan:2)", nameof(spec));
        return Create(parts[0], value);
    }
}
