using ReSpike.Models;

namespace ReSpike.Energy;

/// <summary>
/// Per-clip complexity and energy of one model, the figures of `respike energy` and its --json file
/// (snake_case: ann_gmacs, snn_gmacs, fusion_gmacs, snn_gacs, total_gmacs, energy_mj, firing_rate, ...).
/// G = 1e9. MACs: multiply-adds on real-valued inputs; ACs: ops on spikes times their firing rate; adds: plain
/// additions/comparisons on real-valued inputs (pooling, norm statistics), priced like an AC.
/// </summary>
public sealed record EnergyReport
{
    public required string Model { get; init; }
    public required string Backbone { get; init; }
    public required int Image { get; init; }
    public required int Frames { get; init; }
    public required int Stride { get; init; }
    public required int KeyFrames { get; init; }
    public required int SnnTimesteps { get; init; }
    public required string Precision { get; init; }
    public required double EMacPj { get; init; }
    public required double EAcPj { get; init; }

    public required double AnnGmacs { get; init; }
    public required double SnnGmacs { get; init; }
    public required double FusionGmacs { get; init; }
    public required double HeadGmacs { get; init; }
    public required double SnnGacs { get; init; }
    public required double FusionGacs { get; init; }
    public required double AnnGadds { get; init; }
    public required double SnnGadds { get; init; }
    public required double FusionGadds { get; init; }
    public required double HeadGadds { get; init; }
    /// <summary>Dense synaptic ops of the spike-driven layers, before multiplying by their firing rates.</summary>
    public required double SnnDenseGops { get; init; }
    /// <summary>All MACs of the clip: ANN + SNN + fusion + head.</summary>
    public required double TotalGmacs { get; init; }
    public required double TotalGacs { get; init; }
    public required double TotalGadds { get; init; }
    public required double AnnMj { get; init; }
    public required double SnnMj { get; init; }
    public required double FusionMj { get; init; }
    public required double HeadMj { get; init; }
    public required double EnergyMj { get; init; }

    /// <summary>Overall firing rate of the spiking neurons (measured, or the assumed one); 0 without spiking layers.</summary>
    public required double FiringRate { get; init; }
    /// <summary>measured / assumed / none.</summary>
    public required string FiringRateSource { get; init; }
    /// <summary>Accumulates per dense spike-driven op (the rate the ACs were effectively charged at).</summary>
    public required double EffectiveSynapticRate { get; init; }
    /// <summary>Samples the rates were averaged over.</summary>
    public required int Samples { get; init; }
    /// <summary>What the samples were (e.g. deterministic random clips), so nobody mistakes noise for video.</summary>
    public required string Input { get; init; }
    public string? Checkpoint { get; init; }

    /// <summary>The 2D ResNet of the same backbone on all T frames (Table 3's ANN row), if computed.</summary>
    public double? BaselineGmacs { get; init; }
    public double? BaselineEnergyMj { get; init; }
    /// <summary>energy_mj / baseline_energy_mj.</summary>
    public double? EnergyRatioToBaseline { get; init; }

    public required IReadOnlyList<EnergyLayerRow> Layers { get; init; }
    public required IReadOnlyList<FiringRateRow> FiringRates { get; init; }

    /// <summary>Summarises a profile (per clip) under an energy model, with an optional ANN baseline profile.</summary>
    public static EnergyReport Create(ReSpikeConfig config, ComplexityProfile profile, EnergyModel energy, string input,
                                      ComplexityProfile? baseline = null, string? checkpoint = null)
    {
        const double G = 1e9;
        // key frames and SNN steps as ReSpike cuts a clip: K key frames through real-valued layers, K x (s-1) spiking steps
        var family = ModelRegistry.Models.Get(config.Name).Family;
        BranchOps ann = profile.Branch(Branch.Ann), snn = profile.Branch(Branch.Snn), fusion = profile.Branch(Branch.Fusion);
        BranchOps head = BranchOps.Sum(Branch.Head, profile.Layers.Where(l => l.Branch is Branch.Head or Branch.Other));
        var total = profile.Total;
        double energyMj = total.Millijoules(energy);
        double? baselineMj = baseline?.Millijoules(energy);
        return new EnergyReport
        {
            Model = config.Name,
            Backbone = config.Backbone,
            Image = config.ImageSize,
            Frames = config.Frames,
            Stride = config.Stride,
            KeyFrames = family != ModelFamily.Snn ? config.Segments : 0,
            SnnTimesteps = family != ModelFamily.Ann ? config.Segments * config.Timesteps : 0,
            Precision = energy.Name,
            EMacPj = energy.MacPicojoules,
            EAcPj = energy.AcPicojoules,
            AnnGmacs = ann.Macs / G,
            SnnGmacs = snn.Macs / G,
            FusionGmacs = fusion.Macs / G,
            HeadGmacs = head.Macs / G,
            SnnGacs = snn.Acs / G,
            FusionGacs = fusion.Acs / G,
            AnnGadds = ann.Adds / G,
            SnnGadds = snn.Adds / G,
            FusionGadds = fusion.Adds / G,
            HeadGadds = head.Adds / G,
            SnnDenseGops = total.SpikeOps / G,
            TotalGmacs = total.Macs / G,
            TotalGacs = total.Acs / G,
            TotalGadds = total.Adds / G,
            AnnMj = ann.Millijoules(energy),
            SnnMj = snn.Millijoules(energy),
            FusionMj = fusion.Millijoules(energy),
            HeadMj = head.Millijoules(energy),
            EnergyMj = energyMj,
            FiringRate = profile.FiringRate,
            FiringRateSource = profile.RateSource.ToString().ToLowerInvariant(),
            EffectiveSynapticRate = total.EffectiveFiringRate,
            Samples = profile.Samples,
            Input = input,
            Checkpoint = checkpoint,
            BaselineGmacs = baseline is null ? null : baseline.Total.Macs / G,
            BaselineEnergyMj = baselineMj,
            EnergyRatioToBaseline = baselineMj is > 0 ? energyMj / baselineMj : null,
            Layers = profile.Layers.Select(l => new EnergyLayerRow(l.Name, l.Kind.Name(), l.Branch.Name(), l.Calls / (double)profile.Samples,
                l.Macs / G, l.Acs / G, l.Adds / G, l.SpikeOps / G, l.InputFiringRate, l.Picojoules(energy) * 1e-9)).ToList(),
            FiringRates = profile.FiringRates.Layers.Select(r => new FiringRateRow(r.Name, r.Rate, r.NeuronSteps / profile.Samples)).ToList(),
        };
    }
}

/// <summary>One layer per clip: calls, GMACs, GACs, G adds, dense spike-driven Gops, input firing rate (null = real input), mJ.</summary>
public sealed record EnergyLayerRow(string Name, string Kind, string Branch, double Calls, double Gmacs, double Gacs, double Gadds,
                                    double SpikeGops, double? InputFiringRate, double EnergyMj);

/// <summary>One spiking layer: firing rate and neuron-steps per clip.</summary>
public sealed record FiringRateRow(string Name, double Rate, double NeuronStepsPerClip);
