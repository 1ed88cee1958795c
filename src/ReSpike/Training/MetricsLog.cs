using System.Text.Json;
using System.Text.Json.Serialization;
using ReSpike.IO;

namespace ReSpike.Training;

/// <summary>metrics.jsonl: one JSON object per finished epoch. Rewritten atomically, so it never holds half a line.</summary>
public sealed class MetricsLog(string path)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    readonly List<EpochMetrics> _epochs = [];

    public string Path { get; } = path;
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>Loads the epochs before <paramref name="epochs"/> (a resumed run drops anything later).</summary>
    public void LoadFirst(int epochs)
    {
        _epochs.Clear();
        if (!File.Exists(Path)) return;
        foreach (var line in File.ReadLines(Path).Where(l => l.Trim().Length > 0))
        {
            var m = JsonSerializer.Deserialize<EpochMetrics>(line, Json) ?? throw new InvalidDataException($"{Path}: empty metrics line");
            if (m.Epoch <= epochs) _epochs.Add(m);
        }
        Save();
    }

    public void Append(EpochMetrics metrics)
    {
        _epochs.Add(metrics);
        Save();
    }

    void Save() => AtomicFile.WriteAllText(Path, string.Concat(_epochs.Select(e => JsonSerializer.Serialize(e, Json) + "\n")));
}
