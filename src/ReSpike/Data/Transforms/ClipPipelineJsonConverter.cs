using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReSpike.Data.Transforms;

/// <summary>A <see cref="ClipPipeline"/> as a JSON array of <c>{"type": ..., ...parameters}</c> steps (<see cref="ClipSteps"/>).</summary>
public sealed class ClipPipelineJsonConverter : JsonConverter<ClipPipeline>
{
    public override ClipPipeline Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonArray array)
            throw new JsonException($"a pipeline is a list of steps like [{{\"type\": \"centre-crop\", \"size\": 112}}, ...] (step types: {string.Join(", ", ClipSteps.Types)})");
        var steps = new List<IClipStep>();
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject step) throw new JsonException($"step {i + 1} must be an object {{\"type\": ..., ...}}, got {array[i]?.ToJsonString() ?? "null"}");
            try { steps.Add(ClipSteps.Read(step)); }
            catch (JsonException e) { throw new JsonException($"step {i + 1}: {e.Message}"); }
        }
        try { return new ClipPipeline(steps); }
        catch (ArgumentException e) { throw new JsonException(e.Message); }
    }

    public override void Write(Utf8JsonWriter writer, ClipPipeline value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var step in value.Steps) ClipSteps.Write(writer, step);
        writer.WriteEndArray();
    }
}
