namespace ReSpike.Interpretability;

/// <summary>
/// Attention maps of one clip (<see cref="AttentionMaps"/>): the layer and its token grid, the clip's prediction
/// and one <see cref="KeyFrameAttention"/> per key frame. Serialised as `respike attention --json`.
/// </summary>
public sealed record AttentionReport
{
    /// <summary>The model's registry name.</summary>
    public required string Model { get; init; }

    /// <summary>Cross-attention layer 1-4.</summary>
    public required int Layer { get; init; }

    /// <summary>Token grid of the layer (rows, columns); the query and context grids coincide.</summary>
    public required int GridHeight { get; init; }

    /// <inheritdoc cref="GridHeight"/>
    public required int GridWidth { get; init; }

    /// <summary>Pixels per token side on the model's input (the layer's output stride).</summary>
    public required int PatchSize { get; init; }

    /// <summary>Attention heads averaged in <see cref="KeyFrameAttention.Weights"/>.</summary>
    public required int Heads { get; init; }

    /// <summary>SNN timesteps per key frame (stride - 1), also averaged.</summary>
    public required int Timesteps { get; init; }

    /// <summary>Frames of the clip (their indices in the video when it came from one, else 0..T-1).</summary>
    public required int[] ClipFrames { get; init; }

    /// <summary>Predicted class index for the clip and its softmax probability.</summary>
    public required int PredictedClass { get; init; }

    /// <inheritdoc cref="PredictedClass"/>
    public required double Probability { get; init; }

    /// <summary>Name of the predicted class (the checkpoint's class names, else class_i).</summary>
    public string? PredictedLabel { get; init; }

    /// <summary>Checkpoint and video the maps came from (null when computed from tensors).</summary>
    public string? Checkpoint { get; init; }

    /// <inheritdoc cref="Checkpoint"/>
    public string? Video { get; init; }

    public required IReadOnlyList<KeyFrameAttention> KeyFrames { get; init; }

    /// <summary>The PNG written per key frame (filled by <see cref="AttentionMaps.WriteFigures"/>).</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];
}
