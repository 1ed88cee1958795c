using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReSpike.IO;

/// <summary>Writes a JSON report (`--json`, eval's report.json) atomically, snake_case field names as in the CLI contract.</summary>
public static class JsonReport
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // a class without test videos has accuracy NaN: written as "NaN" rather than failing the report
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(string path, T report) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Options) + "\n");
}
