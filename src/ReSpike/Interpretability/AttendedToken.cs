namespace ReSpike.Interpretability;

/// <summary>One ANN (key-frame) token and the attention weight the query gives it.</summary>
/// <param name="Token">Index in the flattened (row-major) token grid.</param>
/// <param name="X">Column on the grid.</param>
/// <param name="Y">Row on the grid.</param>
/// <param name="Weight">Attention weight (averaged over heads and SNN timesteps).</param>
public sealed record AttendedToken(int Token, int X, int Y, double Weight);
