using ReSpike.Registry;

namespace ReSpike.Training.Optimizers;

/// <summary>The --optimizer choices; a new optimizer is one registration here.</summary>
public static class OptimizerRegistry
{
    public static Registry<OptimizerEntry> Optimizers { get; } = Build();

    static Registry<OptimizerEntry> Build()
    {
        var r = new Registry<OptimizerEntry>("optimizer", "--optimizer");
        r.Add(new("sgd", "PyTorch SGD with momentum (the reference: momentum 0.9, weight decay 1e-4)",
                  (module, momentum, weightDecay) => new Sgd(module, momentum, weightDecay)));
        r.Add(new("adamw", "PyTorch AdamW (betas 0.9/0.999, eps 1e-8; --momentum unused)",
                  (module, _, weightDecay) => new AdamW(module, weightDecay)));
        return r;
    }
}
