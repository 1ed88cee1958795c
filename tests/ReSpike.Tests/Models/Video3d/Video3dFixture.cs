using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReSpike.Tests.Models.Video3d;

/// <summary>Fixtures/video3d/video3d.json, written from torchvision by generate.py there.</summary>
sealed record Video3dFixture(int Classes, int Batch, int Frames, int Image, Dictionary<string, Video3dFixture.Model> Models,
                             [property: JsonPropertyName("macs_16x112_101_classes")] Dictionary<string, Video3dFixture.Macs> Macs16x112)
{
    /// <summary>One torchvision video ResNet: parameters with 400 classes, state-dict names and shapes, logits on hash weights.</summary>
    public sealed record Model([property: JsonPropertyName("params_400")] long Params400, JsonElement[][] State, double[][] Logits);

    /// <summary>The hook count of bench/video3d/count_macs.py at 16 × 112², 101 classes.</summary>
    public sealed record Macs([property: JsonPropertyName("total_macs")] double TotalMacs, [property: JsonPropertyName("pool_adds")] double PoolAdds,
                              [property: JsonPropertyName("params_101")] long Params101);

    public static Video3dFixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "video3d", "video3d.json");
        return JsonSerializer.Deserialize<Video3dFixture>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }
}
