namespace ReSpike.Interpretability;

/// <summary>What <see cref="AttentionMaps"/> shows: which cross-attention layer, which query token, how many attended tokens.</summary>
public sealed record AttentionMapOptions
{
    /// <summary>Cross-attention layer 1-4 (layer L fuses after ResNet block L); null: the last, as the paper's Fig. 4.</summary>
    public int? Layer { get; init; }

    /// <summary>The query token (column, row on the layer's token grid); null: per key frame, the token with the largest residual motion.</summary>
    public TokenCell? Query { get; init; }

    /// <summary>How many of the most-attended ANN tokens to list and outline (fewer when the grid has fewer).</summary>
    public int Top { get; init; } = 5;

    /// <summary>First video frame of the clip; null: the clip at the centre of the video (one uniform clip).</summary>
    public int? Start { get; init; }

    /// <summary>Checks the values a caller can get wrong; errors name the flag.</summary>
    public AttentionMapOptions Validate()
    {
        if (Layer is < 1 or > 4) throw new ArgumentException($"--layer {Layer}: must be 1-4 (the cross-attention after ResNet block 1-4)");
        if (Top < 1) throw new ArgumentException($"--top {Top}: must be >= 1");
        if (Start < 0) throw new ArgumentException($"--start {Start}: must be >= 0 (a video frame index)");
        return this;
    }
}
