using ReSpike.Registry;
using TorchSharp;

namespace ReSpike.Training.Optimizers;

/// <summary>Builds an optimizer over a module's trainable parameters from the run's momentum and weight decay.</summary>
public delegate IOptimizer OptimizerFactory(torch.nn.Module module, double momentum, double weightDecay);

/// <summary>A registered optimizer (an --optimizer value).</summary>
public sealed record OptimizerEntry(string Name, string Description, OptimizerFactory Create) : IRegistryEntry;
