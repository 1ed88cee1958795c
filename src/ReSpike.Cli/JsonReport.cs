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
    };

    public static void Write<T>(string path, T report) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Options) + "\n");
}
