using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReSpike.Data.Transforms;

/// <summary>
/// The parameters of one pipeline step as its JSON object gives them: typed reads with defaults, and a
/// <see cref="JsonException"/> naming the step for a missing, malformed or unknown parameter.
/// </summary>
public sealed class StepParameters(string type, JsonObject json)
{
    readonly HashSet<string> _asked = [];

    public string Type { get; } = type;

    public int Int(string name, int? fallback = null)
    {
        var node = Node(name);
        if (node is null) return fallback ?? throw Error($"needs '{name}'");
        if (node is JsonValue v && v.TryGetValue(out int value)) return value;
        throw Error($"'{name}' must be an integer, got {node.ToJsonString()}");
    }

    public double Double(string name, double fallback)
    {
        var node = Node(name);
        if (node is null) return fallback;
        return Number(node, name);
    }

    public double[] Doubles(string name, IReadOnlyList<double> fallback, int? length = null)
    {
        var node = Node(name);
        if (node is null) return fallback.ToArray();
        if (node is not JsonArray array) throw Error($"'{name}' must be a list of numbers, got {node.ToJsonString()}");
        var values = array.Select(n => n is null ? throw Error($"'{name}' holds a null") : Number(n, name)).ToArray();
        if (length is int n && values.Length != n) throw Error($"'{name}' must hold {n} numbers, got {values.Length}");
        if (values.Length == 0) throw Error($"'{name}' must not be empty");
        return values;
    }

    /// <summary>Fails on a parameter no read asked for (a typo would otherwise be ignored silently).</summary>
    public void CheckNoOthers()
    {
        var unknown = json.Select(p => p.Key).Where(k => k != "type" && !_asked.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw Error($"unknown parameter '{unknown[0]}' (it takes: {string.Join(", ", _asked)})");
    }

    JsonNode? Node(string name)
    {
        _asked.Add(name);
        return json[name];
    }

    double Number(JsonNode node, string name) =>
        node is JsonValue v && v.TryGetValue(out double value) && double.IsFinite(value)
            ? value
            : throw Error($"'{name}' must be a number, got {node.ToJsonString()}");

    public JsonException Error(string message) => new($"step '{Type}': {message}");

    /// <summary>Numbers in descriptions and errors: invariant, at most 3 decimals ("0.08", "1.333").</summary>
    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
