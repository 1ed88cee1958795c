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

    public string Path { get; } = path;

    /// <summary>The epochs up to <paramref name="epochs"/> (a resumed run drops anything later); none when the file is missing.</summary>
    public List<EpochMetrics> ReadFirst(int epochs)
    {
        var list = new List<EpochMetrics>();
        if (!File.Exists(Path)) return list;
        foreach (var line in File.ReadLines(Path).Where(l => l.Trim().Length > 0))
        {
            var m = JsonSerializer.Deserialize<EpochMetrics>(line, Json) ?? throw new InvalidDataException($"{Path}: empty metrics line");
            if (m.Epoch <= epochs) list.Add(m);
        }
        return list;
    }

    /// <summary>Replaces the file with <paramref name="epochs"/>, one line each.</summary>
    public void Write(IEnumerable<EpochMetrics> epochs) =>
        AtomicFile.WriteAllText(Path, string.Concat(epochs.Select(e => JsonSerializer.Serialize(e, Json) + "\n")));
}
