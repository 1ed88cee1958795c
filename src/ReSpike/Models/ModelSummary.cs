using TorchSharp;

namespace ReSpike.Models;

/// <summary>One row of `respike models`: a registered model and its parameter count when built at given settings.</summary>
public sealed record ModelSummary(string Name, string Family, string Inputs, long Parameters, string EnergyConvention, string Description)
{
    /// <summary>
    /// Every registered model built at <paramref name="settings"/> (its <see cref="ReSpikeConfig.Name"/> replaced
    /// by each model's) and counted. Torch's global generator is restored afterwards, so listing does not shift a run's seeds.
    /// </summary>
    public static IReadOnlyList<ModelSummary> All(ReSpikeConfig settings)
    {
        using var rngState = torch.get_rng_state();
        try
        {
            using var noGrad = torch.no_grad();
            return ModelRegistry.Models.Entries.Select(entry =>
            {
                using var net = entry.Create(settings with { Name = entry.Name });
                return new ModelSummary(entry.Name, entry.Family.ToString().ToLowerInvariant(), entry.Inputs, net.ParameterCount,
                                        entry.EnergyConvention, entry.Description);
            }).ToList();
        }
        finally { torch.set_rng_state(rngState); }
    }
}
