namespace ReSpike.Energy;

/// <summary>
/// Dense cost of one layer call: multiply-adds (priced as a MAC on real-valued input) and plain additions or
/// comparisons (priced as an add, E_AC, since no multiplier runs). On spike input both become accumulates.
/// </summary>
public readonly record struct LayerCost(OpKind Kind, double MultiplyAdds, double Adds)
{
    /// <summary>All dense ops of the call.</summary>
    public double Ops => MultiplyAdds + Adds;
}
