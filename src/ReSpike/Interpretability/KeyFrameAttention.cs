using System.Text.Json.Serialization;

namespace ReSpike.Interpretability;

/// <summary>
/// One key frame's view of a cross-attention layer: which SNN query token was chosen (by residual motion or by the
/// caller), the weights it gives the key frame's ANN tokens per SNN timestep and head, their mean, and the
/// most-attended tokens. The pixel fields feed the figure and stay out of the JSON.
/// </summary>
public sealed record KeyFrameAttention
{
    /// <summary>Key-frame group k (0-based) within the clip.</summary>
    public required int Segment { get; init; }

    /// <summary>Index of the key frame within the clip (k · stride).</summary>
    public required int ClipFrame { get; init; }

    /// <summary>Index of the key frame in the video (null when the clip was given as a tensor).</summary>
    public int? VideoFrame { get; init; }

    /// <summary>The query token (an SNN token on the layer's grid).</summary>
    public required TokenCell Query { get; init; }

    /// <summary>Index of the query in the flattened token grid.</summary>
    public required int QueryToken { get; init; }

    /// <summary>How the query was chosen: "largest residual motion" or "given".</summary>
    public required string QueryRule { get; init; }

    /// <summary>Mean |residual| (0..1 pixel scale, over channels and the group's s-1 residual frames) per token, row-major.</summary>
    public required double[] ResidualEnergy { get; init; }

    /// <summary>The query's weights over the ANN tokens averaged over heads and SNN timesteps (sums to 1).</summary>
    public required double[] Weights { get; init; }

    /// <summary>The raw weights [timestep][head][ANN token] (each innermost row sums to 1).</summary>
    public required double[][][] WeightsPerStepAndHead { get; init; }

    /// <summary>The most-attended ANN tokens, largest weight first.</summary>
    public required IReadOnlyList<AttendedToken> Top { get; init; }

    /// <summary>The key frame as the model saw it before normalisation, [S, S, 3] RGB bytes.</summary>
    [JsonIgnore] public byte[,,] KeyFramePixels { get; init; } = new byte[0, 0, 3];

    /// <summary>Per-pixel residual energy of the group [S, S] (same definition as <see cref="ResidualEnergy"/>).</summary>
    [JsonIgnore] public double[,] ResidualEnergyPixels { get; init; } = new double[0, 0];
}
