using System.Text.Json;
using ReSpike.IO;

namespace ReSpike.Cli;

/// <summary>Writes a `--json` report atomically, snake_case field names as in the CLI contract.</summary>
static class JsonReport
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // a class without test videos has accuracy NaN: written as "NaN" rather than failing the report
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(string path, T report) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Options) + "\n");
}
