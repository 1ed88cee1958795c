using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ReSpike.Training;

/// <summary>
/// `--set key=value`: one field of a training config, named as config.json names it (snake_case, dotted for nested
/// objects: <c>epochs=1</c>, <c>model.stride=2</c>, <c>data.decode.short_side=128</c>). The value is read as the JSON type of
/// that field (a number, true/false, a string without quotes, null for an optional field, or JSON for a pipeline).
/// Unknown keys are an error listing the closest names.
/// </summary>
public static class ConfigAssignments
{
    /// <summary>A settable field: its type and whether null is allowed.</summary>
    public readonly record struct Field(Type Type, bool Optional);

    /// <summary>Every key --set accepts, dotted, with the field's type, in config.json's order.</summary>
    public static IReadOnlyDictionary<string, Field> Keys { get; } = Collect();

    static Dictionary<string, Field> Collect()
    {
        var nullability = new System.Reflection.NullabilityInfoContext();
        var keys = new Dictionary<string, Field>(StringComparer.Ordinal);
        void Walk(Type type, string prefix)
        {
            foreach (var property in TrainingOptions.JsonOptions.GetTypeInfo(type).Properties)
            {
                if (property.Set is null && property.Get is null) continue;
                var key = prefix + property.Name;
                if (property.Name == "variant" && type == typeof(Models.ReSpikeConfig)) continue;   // legacy spelling of model.name
                if (TrainingOptions.JsonOptions.GetTypeInfo(property.PropertyType).Kind == JsonTypeInfoKind.Object && property.PropertyType.IsClass
                    && property.PropertyType != typeof(Data.Transforms.ClipPipeline))
                    Walk(property.PropertyType, key + ".");
                else keys[key] = new Field(property.PropertyType, Nullable.GetUnderlyingType(property.PropertyType) is not null
                    || property.AttributeProvider is System.Reflection.PropertyInfo info && nullability.Create(info).WriteState == System.Reflection.NullabilityState.Nullable);
            }
        }
        Walk(typeof(TrainingOptions), "");
        return keys;
    }

    /// <summary>Applies the assignments in order to <paramref name="config"/> (a config file's JSON object, changed in place).</summary>
    public static JsonObject Apply(JsonObject config, IEnumerable<string> assignments)
    {
        foreach (var assignment in assignments)
        {
            var (key, node) = Parse(assignment);
            var parts = key.Split('.');
            var target = config;
            foreach (var part in parts[..^1])
            {
                if (target[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    target[part] = child;
                }
                target = child;
            }
            target[parts[^1]] = node;
        }
        return config;
    }

    /// <summary>Splits "key=value", checks the key and reads the value as the field's JSON type.</summary>
    public static (string Key, JsonNode? Value) Parse(string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"--set {assignment}: expected key=value with a config key (e.g. --set epochs=1, --set model.stride=2)");
        var key = assignment[..eq].Trim();
        var text = assignment[(eq + 1)..];
        if (!Keys.TryGetValue(key, out var field))
        {
            var close = Closest(key);
            throw new ArgumentException($"--set {assignment}: unknown config key '{key}'" +
                                        (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : "") +
                                        " (keys are config.json's names, dotted for nested fields, e.g. model.stride, data.decode.short_side)");
        }
        return (key, ReadValue(assignment, key, text, field));
    }

    static JsonNode? ReadValue(string assignment, string key, string text, Field field)
    {
        var type = field.Type;
        if (text.Trim() == "null")
            return field.Optional ? null : throw new ArgumentException($"--set {assignment}: {key} cannot be null; it takes {Describe(Nullable.GetUnderlyingType(type) ?? type, type)}");
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        bool textual = underlying == typeof(string) || underlying.IsEnum;
        // typed as JSON first (numbers, true/false, null, a pipeline's array); a string field also takes bare text
        foreach (var candidate in textual ? new[] { text, JsonSerializer.Serialize(text) } : [text.Trim()])
        {
            try
            {
                var value = JsonSerializer.Deserialize(candidate, type, TrainingOptions.JsonOptions);
                if (value is null) continue;
                return JsonSerializer.SerializeToNode(value, type, TrainingOptions.JsonOptions);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException) { }
        }
        throw new ArgumentException($"--set {assignment}: {key} takes {Describe(underlying, type)}, got '{text}'");
    }

    static string Describe(Type underlying, Type type)
    {
        var what = underlying == typeof(int) || underlying == typeof(long) ? "an integer"
            : underlying == typeof(double) || underlying == typeof(float) ? "a number"
            : underlying == typeof(bool) ? "true or false"
            : underlying.IsEnum ? "one of " + string.Join(", ", Enum.GetValues(underlying).Cast<object>().Select(v => JsonSerializer.Serialize(v, underlying, TrainingOptions.JsonOptions).Trim('"')))
            : underlying == typeof(string) ? "a string"
            : "JSON (as in config.json)";
        return Nullable.GetUnderlyingType(type) is not null ? what + " or null" : what;
    }

    /// <summary>Up to five keys closest to <paramref name="key"/> (edit distance, or sharing its last part).</summary>
    public static IReadOnlyList<string> Closest(string key)
    {
        var last = key.Split('.')[^1];
        return Keys.Keys
            .Select(k => (Key: k, Distance: Math.Min(Distance(k, key), k.Split('.')[^1] == last ? 0 : int.MaxValue)))
            .Where(c => c.Distance <= Math.Max(2, key.Length / 3) || c.Key.Contains(key, StringComparison.Ordinal) && key.Length >= 3)
            .OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(5).Select(c => c.Key).ToList();
    }

    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int saved = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = saved;
            }
        }
        return row[b.Length];
    }
}
