using System.Text.Json;
using System.Text.Json.Serialization;
using ReSpike.Models.Backbones;

namespace ReSpike.Models;

/// <summary>
/// Everything that fixes a network's architecture: which registered model (<see cref="Name"/>) and its settings.
/// Saved inside every checkpoint; <see cref="ModelRegistry.Create"/> builds the network from it.
/// </summary>
public sealed record ReSpikeConfig
{
    readonly string _name = "respike";

    /// <summary>The model's registry name (--model): respike, respike-noattn, ann, snn or any registered model.</summary>
    public string Name { get => _name; init => _name = ModelNames.Canonical(value); }

    /// <summary>The ReSpike variant of a ReSpike-family model (a view of <see cref="Name"/>; other models have none and throw).</summary>
    [JsonIgnore]
    public ModelVariant Variant { get => ModelNames.ParseVariant(Name); init => Name = value.Name(); }

    // checkpoints before the registry stored the variant as "variant": "re-spike"; read it, never write it
    [JsonInclude, JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? LegacyVariant { get => null; init { if (value is not null) Name = value; } }

    /// <summary>ANN backbone: resnet18/34/50/101/152.</summary>
    public string Backbone { get; init; } = "resnet18";
    public int NumClasses { get; init; } = 101;
    /// <summary>Key-frame stride s: each group of s frames is one key frame and s-1 residual frames (SNN timesteps).</summary>
    public int Stride { get; init; } = 4;
    /// <summary>Frames per clip T (a multiple of the stride).</summary>
    public int Frames { get; init; } = 16;
    /// <summary>Square input size in pixels (a multiple of 16).</summary>
    public int ImageSize { get; init; } = 112;
    public FusionMode Fusion { get; init; } = FusionMode.Pooled;

    /// <summary>What the ANN branch sees (ReSpike-family models); null: the registered model's own (<see cref="ReSpikePreset.Ann"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AnnInput? AnnInput { get; init; }

    /// <summary>What the SNN branch sees (ReSpike-family models); null: the registered model's own (<see cref="ReSpikePreset.Snn"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SnnInput? SnnInput { get; init; }

    /// <summary>Key frames per clip K = T / s.</summary>
    [JsonIgnore] public int Segments => Frames / Stride;
    /// <summary>SNN timesteps per key frame, s - 1.</summary>
    [JsonIgnore] public int Timesteps => Stride - 1;

    /// <summary>Checks the combination; errors name the command-line flag to change.</summary>
    public ReSpikeConfig Validate()
    {
        var model = ModelRegistry.Models.Get(Name);
        if (!BackboneRegistry.Backbones.Contains(Backbone)) throw BackboneRegistry.Backbones.Unknown(Backbone);
        if (NumClasses < 1) throw new ArgumentException($"--classes: need at least 1 class, got {NumClasses}");
        if (Stride < 1) throw new ArgumentException($"--stride: must be >= 1, got {Stride}");
        model.Validate?.Invoke(this);
        if (Frames < 1 || Frames % Stride != 0)
            throw new ArgumentException($"--frames: {Frames} frames cannot be cut into groups of stride {Stride}; use a multiple of {Stride} (e.g. {Math.Max(1, Frames / Stride) * Stride})");
        int multiple = ResNetStages.InputMultiple;
        if (ImageSize < 2 * multiple || ImageSize % multiple != 0)
            throw new ArgumentException($"--image: {ImageSize} px does not divide into the four stages (strides {string.Join(", ", ResNetStages.OutputStrides)} with the pooled fusion grid at 1/{multiple}); use a multiple of {multiple} such as 64, 112, 160 or 224");
        return this;
    }

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReSpikeConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ReSpikeConfig>(json, Json) ?? throw new InvalidDataException("empty model config");

    // the record's generated ToString would read Variant, which other models do not have
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Name = {Name}, Backbone = {Backbone}, NumClasses = {NumClasses}, Stride = {Stride}, Frames = {Frames}, ImageSize = {ImageSize}, Fusion = {Fusion.Name()}");
        if (AnnInput is { } ann) builder.Append($", AnnInput = {ann.Name()}");
        if (SnnInput is { } snn) builder.Append($", SnnInput = {snn.Name()}");
        return true;
    }

    /// <summary>Names the fields where two configs differ, e.g. "backbone: resnet50 vs resnet18".</summary>
    public IReadOnlyList<string> Differences(ReSpikeConfig other)
    {
        var list = new List<string>();
        void Compare<T>(string name, T a, T b) { if (!EqualityComparer<T>.Default.Equals(a, b)) list.Add($"{name}: {a} vs {b}"); }
        Compare("model", Name, other.Name);
        Compare("backbone", Backbone, other.Backbone);
        Compare("classes", NumClasses, other.NumClasses);
        Compare("stride", Stride, other.Stride);
        Compare("frames", Frames, other.Frames);
        Compare("image", ImageSize, other.ImageSize);
        Compare("fusion", Fusion.Name(), other.Fusion.Name());
        const string ModelDefault = "the model's";
        Compare("ann_input", AnnInput?.Name() ?? ModelDefault, other.AnnInput?.Name() ?? ModelDefault);
        Compare("snn_input", SnnInput?.Name() ?? ModelDefault, other.SnnInput?.Name() ?? ModelDefault);
        return list;
    }
}
