using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Spiking.Surrogates;

/// <summary>
/// A spike function: Heaviside step in the forward pass (fires at u &gt;= 0, as SpikingJelly), a smooth
/// stand-in derivative in the backward pass. Each surrogate is defined by a primitive g(u) whose
/// derivative is the surrogate gradient; <see cref="Spike"/> returns H(u) + (g(u) - g(u).detach()),
/// which is exactly H(u) in value (the bracket is exactly zero) and has gradient g'(u).
/// </summary>
public abstract class SurrogateFunction
{
    /// <summary>Registry name, e.g. "atan".</summary>
    public abstract string Name { get; }

    /// <summary>The shape parameter (alpha, width or gamma) and its name.</summary>
    public abstract (string Name, double Value) Parameter { get; }

    /// <summary>g(u): a smooth step whose derivative is the surrogate gradient.</summary>
    public abstract Tensor Primitive(Tensor u);

    /// <summary>g'(u) in closed form: used by fused kernels and to check autograd.</summary>
    public abstract Tensor Gradient(Tensor u);

    /// <summary>g'(u) for one value, for scalar kernels and hand checks.</summary>
    public abstract double Gradient(double u);

    /// <summary>Heaviside forward (1 where u &gt;= 0), surrogate backward.</summary>
    public Tensor Spike(Tensor u)
    {
        var heaviside = Heaviside(u);
        if (!u.requires_grad || !torch.is_grad_enabled()) return heaviside;
        using (heaviside)
        using (var g = Primitive(u))
        using (var gDetached = g.detach())
        using (var zeroWithGradient = g - gDetached)
            return heaviside + zeroWithGradient;
    }

    /// <summary>1 where u &gt;= 0, else 0, in u's dtype.</summary>
    public static Tensor Heaviside(Tensor u)
    {
        using var fired = u.ge(0);
        return fired.to_type(u.dtype);
    }

    public override string ToString() => $"{Name}({Parameter.Name}={Parameter.Value})";
}
