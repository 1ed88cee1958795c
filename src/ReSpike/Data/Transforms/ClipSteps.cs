using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReSpike.Data.Transforms;

/// <summary>The step types a pipeline's JSON may name, each with the reader that builds it from its parameters.</summary>
public static class ClipSteps
{
    static readonly (string Type, Func<StepParameters, IClipStep> Read, string Description)[] Known =
    [
        ("random-resized-crop", RandomResizedCrop.Read, "torchvision's RandomResizedCrop: size, scale [min, max] of the area, ratio [min, max]"),
        ("multiscale-crop", MultiScaleCrop.Read, "TSN's multi-scale corner crop: size, scales, max_distort"),
        ("flip", HorizontalFlip.Read, "left-right mirror of the clip with probability p"),
        ("resize-short", Resize.Read, "shorter side to size, aspect kept"),
        ("centre-crop", CentreCrop.Read, "the centre size×size"),
        ("three-crop", ThreeCrop.Read, "three size×size views along the longer side"),
        ("normalize", Normalize.Read, "0..255 to (x/255 - mean)/std per channel"),
    ];

    /// <summary>Every step type, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Types { get; } = Known.Select(k => k.Type).ToList();

    /// <summary>A one-line description of a step type.</summary>
    public static string Description(string type) => Known.First(k => k.Type == type).Description;

    /// <summary>Builds a step from <c>{"type": ..., ...parameters}</c>; an unknown type or parameter is an error naming the known ones.</summary>
    public static IClipStep Read(JsonObject json)
    {
        var type = json["type"] is JsonValue v && v.TryGetValue(out string? name) ? name
            : throw new JsonException($"a step needs a \"type\" (one of {string.Join(", ", Types)}), got {json.ToJsonString()}");
        var entry = Known.FirstOrDefault(k => k.Type == type);
        if (entry.Read is null) throw new JsonException($"unknown step type '{type}' (known types: {string.Join(", ", Types)})");
        var parameters = new StepParameters(type, json);
        IClipStep step;
        try { step = entry.Read(parameters); }
        catch (ArgumentException e) { throw parameters.Error(e.Message); } // a value out of range, told by the step's constructor
        parameters.CheckNoOthers();
        return step;
    }

    public static void Write(Utf8JsonWriter json, IClipStep step)
    {
        json.WriteStartObject();
        json.WriteString("type", step.Type);
        step.WriteParameters(json);
        json.WriteEndObject();
    }
}
