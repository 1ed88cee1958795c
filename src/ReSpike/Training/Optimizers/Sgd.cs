using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training.Optimizers;

/// <summary>
/// PyTorch's SGD (dampening 0, no Nesterov), the reference's optimizer: g = grad + wd*p;
/// buf = g on the first step, else momentum*buf + g; p -= lr*buf. Weight decay applies to every
/// parameter (BN/LN/GN and biases too), as in the reference.
/// </summary>
public sealed class Sgd : IOptimizer
{
    readonly IReadOnlyList<(string Name, Tensor Parameter)> _parameters;
    readonly Dictionary<string, Tensor> _momentum = new();
    readonly Tensor _steps = torch.zeros(1, ScalarType.Int64);

    public Sgd(nn.Module module, double momentum = 0.9, double weightDecay = 1e-4)
    {
        _parameters = NamedParameters.Trainable(module);
        Momentum = momentum;
        WeightDecay = weightDecay;
        foreach (var (name, p) in _parameters) _momentum[name] = torch.zeros_like(p);
    }

    public double Momentum { get; }
    public double WeightDecay { get; }

    public void ZeroGrad()
    {
        foreach (var (_, p) in _parameters) p.grad?.zero_();
    }

    public void ReleaseGradients() => NamedParameters.ReleaseGradients(_parameters);

    public void Step(double learningRate)
    {
        using var _ = torch.no_grad();
        bool first = _steps.item<long>() == 0;
        foreach (var (name, p) in _parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            using var g = WeightDecay != 0 ? grad.add(p, alpha: WeightDecay) : grad.alias();
            var buffer = _momentum[name];
            if (Momentum != 0)
            {
                if (first) buffer.copy_(g);
                else buffer.mul_(Momentum).add_(g);
                p.add_(buffer, alpha: -learningRate);
            }
            else p.add_(g, alpha: -learningRate);
        }
        _steps.add_(1);
    }

    public IReadOnlyDictionary<string, Tensor> State()
    {
        var state = _momentum.ToDictionary(kv => "momentum." + kv.Key, kv => kv.Value);
        state["steps"] = _steps;
        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state) => NamedParameters.Restore(
        new Dictionary<string, Tensor>(State()), state, "SGD");

    public void Dispose()
    {
        foreach (var t in _momentum.Values) t.Dispose();
        _steps.Dispose();
    }
}
