namespace ReSpike.Spiking.Kernels;

/// <summary>
/// A LIF neuron's constants as the fused kernel uses them: float32, exactly the values libtorch computes with
/// when the op-by-op path applies a double scalar to a float tensor (it rounds the scalar to float first).
/// </summary>
/// <param name="VReset">Hard-reset potential; ignored for soft reset.</param>
internal readonly record struct LifKernelParameters(
    float Tau,
    float VThreshold,
    float VReset,
    bool HardReset,
    bool DecayInput,
    bool DetachReset)
{
    /// <summary>The charge subtracts v_reset only when it is non-zero (the op-by-op path skips "v - 0").</summary>
    public bool ChargeSubtractsReset => HardReset && VReset != 0f;

    public static LifKernelParameters From(double tau, double vThreshold, double? vReset, bool decayInput, bool detachReset) =>
        new((float)tau, (float)vThreshold, (float)(vReset ?? 0.0), vReset.HasValue, decayInput, detachReset);
}
