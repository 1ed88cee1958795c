using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training.Optimizers;

/// <summary>
/// PyTorch's AdamW (decoupled weight decay, bias-corrected moments, no amsgrad):
/// p *= 1 - lr*wd; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
/// p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
/// </summary>
public sealed class AdamW : IOptimizer
{
    readonly IReadOnlyList<(string Name, Tensor Parameter)> _parameters;
    readonly Dictionary<string, Tensor> _first = new(), _second = new();
    readonly Tensor _steps = torch.zeros(1, ScalarType.Int64);

    public AdamW(nn.Module module, double weightDecay = 0.05, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = NamedParameters.Trainable(module);
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        foreach (var (name, p) in _parameters)
        {
            _first[name] = torch.zeros_like(p);
            _second[name] = torch.zeros_like(p);
        }
    }

    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    public void ZeroGrad()
    {
        foreach (var (_, p) in _parameters) p.grad?.zero_();
    }

    public void ReleaseGradients() => NamedParameters.ReleaseGradients(_parameters);

    public void Step(double learningRate)
    {
        using var _ = torch.no_grad();
        _steps.add_(1);
        long t = _steps.item<long>();
        double correction1 = 1 - Math.Pow(Beta1, t), correction2 = 1 - Math.Pow(Beta2, t);
        foreach (var (name, p) in _parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            if (WeightDecay != 0) p.mul_(1 - learningRate * WeightDecay);
            var m = _first[name].mul_(Beta1).add_(g, alpha: 1 - Beta1);
            var v = _second[name].mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
            using var denominator = (v / correction2).sqrt_().add_(Epsilon);
            p.addcdiv_(m, denominator, value: -learningRate / correction1);
        }
    }

    public IReadOnlyDictionary<string, Tensor> State()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, t) in _first) state["exp_avg." + name] = t;
        foreach (var (name, t) in _second) state["exp_avg_sq." + name] = t;
        state["steps"] = _steps;
        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state) => NamedParameters.Restore(
        new Dictionary<string, Tensor>(State()), state, "AdamW");

    public void Dispose()
    {
        foreach (var t in _first.Values.Concat(_second.Values)) t.Dispose();
        _steps.Dispose();
    }
}
