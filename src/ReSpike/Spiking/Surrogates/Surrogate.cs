using System.Globalization;
using ReSpike.Registry;

namespace ReSpike.Spiking.Surrogates;

/// <summary>Selects a surrogate by name: "atan", "atan:2", "sigmoid:4", "rectangle:1", "triangle:1".</summary>
public static class Surrogate
{
    /// <summary>The registered surrogates; a new one is one registration here.</summary>
    public static Registry<SurrogateEntry> Registry { get; } = Build();

    static Registry<SurrogateEntry> Build()
    {
        var r = new Registry<SurrogateEntry>("surrogate", hint: "optionally with a parameter, e.g. atan:2");
        r.Add(new("atan", "SpikingJelly ATan, alpha (default 2): ReSpike's neuron", p => p is { } a ? new ATan(a) : new ATan()));
        r.Add(new("sigmoid", "SpikingJelly Sigmoid, alpha (default 4)", p => p is { } s ? new Sigmoid(s) : new Sigmoid()));
        r.Add(new("rectangle", "rectangular window of width w (default 1)", p => p is { } w ? new Rectangle(w) : new Rectangle()), "rect");
        r.Add(new("triangle", "triangular window, gamma (default 1)", p => p is { } g ? new Triangle(g) : new Triangle()), "tri");
        return r;
    }

    /// <summary>Every registered surrogate with its default parameter.</summary>
    public static IReadOnlyList<SurrogateFunction> Defaults => Registry.Entries.Select(e => e.Create(null)).ToList();

    public static SurrogateFunction Create(string name, double? parameter = null) => Registry.Get(name).Create(parameter);

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
