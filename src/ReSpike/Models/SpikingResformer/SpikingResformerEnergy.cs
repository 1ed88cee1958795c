using ReSpike.Energy;
using ReSpike.Spiking;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// Operation counts and energy of a SpikingResformer per image (all T timesteps), in two conventions.
/// <list type="bullet">
/// <item>The SpikingResformer paper's: E = 0.9 pJ × SOPs, where SOPs are the synaptic operations actually triggered by
/// spikes (the official SOPMonitor: each conv/linear/matmul run with all-one weights on its input and summed, so a
/// spike costs its real fan-out, padding included); the stem conv and the classifier are excluded (its net.skip).</item>
/// <item>ReSpike's: E = E_MAC × MACs on real-valued inputs (stem conv, classifier) + E_AC × SOPs of the spike-driven
/// layers (every other conv and both DSSA matmuls), with E_MAC 4.6 pJ and E_AC 0.9 pJ at fp32 (Horowitz 2014).</item>
/// </list>
/// BatchNorm is taken as folded into the conv before it and pooling as free, in both.
/// </summary>
public sealed record SpikingResformerEnergyReport
{
    public required string Model { get; init; }
    public required int Image { get; init; }
    public required int Timesteps { get; init; }
    public required int Samples { get; init; }
    public required string Input { get; init; }
    /// <summary>Dense MACs of one timestep of one image: stem conv, other convs, DSSA matmuls, classifier.</summary>
    public required double StemMacsPerTimestep { get; init; }
    public required double ConvMacsPerTimestep { get; init; }
    public required double MatmulMacsPerTimestep { get; init; }
    public required double ClassifierMacsPerTimestep { get; init; }
    public double DenseMacsPerTimestep => StemMacsPerTimestep + ConvMacsPerTimestep + MatmulMacsPerTimestep + ClassifierMacsPerTimestep;
    /// <summary>Spike-triggered synaptic operations per image (all timesteps), stem and classifier excluded.</summary>
    public required double Sops { get; init; }
    /// <summary>MACs on real-valued inputs per image (stem and classifier, all timesteps).</summary>
    public required double RealValuedMacs { get; init; }
    /// <summary>Mean firing rate of every neuron layer (spikes / sites), by module path.</summary>
    public required IReadOnlyDictionary<string, double> FiringRates { get; init; }
    public required double MeanFiringRate { get; init; }
    public double PaperEnergyMj => Sops * SpikingResformerPaperAcPicojoules * 1e-9;
    public double ReSpikeEnergyMj => EnergyModel.Fp32.Millijoules(RealValuedMacs, Sops);

    /// <summary>The CLI contract's names: real-valued GMACs per image, and the two energies (ReSpike's; the paper's SOP-only one).</summary>
    public double TotalGmacs => RealValuedMacs / 1e9;
    public double EnergyMj => ReSpikeEnergyMj;
    public double EnergyMjSop => PaperEnergyMj;

    /// <summary>E_AC of the SpikingResformer paper (45 nm, as Horowitz).</summary>
    public const double SpikingResformerPaperAcPicojoules = 0.9;
}

/// <summary>Measures <see cref="SpikingResformerEnergyReport"/> through forward hooks on real eval-mode passes.</summary>
public static class SpikingResformerEnergy
{
    public static SpikingResformerEnergyReport Measure(SpikingResformerNet net, IEnumerable<Tensor> clips, int maxSamples, string input)
    {
        if (maxSamples < 1) throw new ArgumentOutOfRangeException(nameof(maxSamples), maxSamples, "--samples: need at least one sample");
        double stem = 0, conv = 0, matmul = 0, classifier = 0, sops = 0, realMacs = 0;
        var spikes = new Dictionary<string, (double Spikes, double Sites)>();
        var removers = new List<Action>();
        foreach (var (name, module) in net.named_modules())
        {
            switch (module)
            {
                case SequenceConv2d c:
                    bool isStem = name == "prologue.0";
                    removers.Add(c.register_forward_hook((_, x, y) =>
                    {
                        using var noGrad = torch.no_grad();
                        double dense = (double)y.numel() * (c.InChannels / c.Groups) * c.KernelSize * c.KernelSize;
                        if (isStem) { stem += dense; realMacs += dense; return y; }
                        conv += dense;
                        using var flat = x.flatten(0, 1);
                        using var ones = torch.ones_like(c.Weight);
                        using var fanOut = nn.functional.conv2d(flat, ones, null, [c.Stride, c.Stride], [c.Padding, c.Padding], [1, 1], c.Groups);
                        sops += fanOut.sum(ScalarType.Float64).item<double>();
                        return y;
                    }).remove);
                    break;
                case SpikeRightMatmul m:
                    removers.Add(m.register_forward_hook((_, left, right, y) =>
                    {
                        using var noGrad = torch.no_grad();
                        matmul += (double)y.numel() * left.shape[^1];
                        // ones on the left: every spike of the right operand triggers one add per row of the left
                        // (DSSA's operands share their batch dimensions, so nothing broadcasts)
                        sops += right.sum(ScalarType.Float64).item<double>() * left.shape[^2];
                        return y;
                    }).remove);
                    break;
                case TorchSharp.Modules.Linear l:
                    removers.Add(l.register_forward_hook((_, x, y) =>
                    {
                        double dense = (double)y.numel() * l.in_features;
                        classifier += dense;
                        realMacs += dense;
                        return y;
                    }).remove);
                    break;
                case Spiking.Neurons.BaseNode neuron:
                    var path = name;
                    removers.Add(neuron.register_forward_hook((_, _, s) =>
                    {
                        var (a, b) = spikes.GetValueOrDefault(path);
                        spikes[path] = (a + s.sum(ScalarType.Float64).item<double>(), b + s.numel());
                        return s;
                    }).remove);
                    break;
            }
        }
        bool wasTraining = net.training;
        net.eval();
        int samples = 0;
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var batch in clips)
            {
                if (samples >= maxSamples) break;
                using var scope = torch.NewDisposeScope();
                long take = Math.Min(batch.shape[0], maxSamples - samples);
                using var inputBatch = take < batch.shape[0] ? batch.narrow(0, 0, take) : batch.alias();
                Functional.ResetNet(net);
                using var output = net.ForwardTimesteps(inputBatch);
                samples += (int)take;
            }
        }
        finally
        {
            foreach (var remove in removers) remove();
            Functional.ResetNet(net);
            net.train(wasTraining);
        }
        if (samples == 0) throw new ArgumentException("no input to measure on");
        double perImage = 1.0 / samples, perTimestep = 1.0 / (samples * (double)net.Timesteps);
        double allSpikes = spikes.Values.Sum(v => v.Spikes), allSites = spikes.Values.Sum(v => v.Sites);
        return new SpikingResformerEnergyReport
        {
            Model = net.Config.Name,
            Image = net.Config.ImageSize,
            Timesteps = net.Timesteps,
            Samples = samples,
            Input = input,
            StemMacsPerTimestep = stem * perTimestep,
            ConvMacsPerTimestep = conv * perTimestep,
            MatmulMacsPerTimestep = matmul * perTimestep,
            ClassifierMacsPerTimestep = classifier * perTimestep,
            Sops = sops * perImage,
            RealValuedMacs = realMacs * perImage,
            FiringRates = spikes.ToDictionary(kv => kv.Key, kv => kv.Value.Sites > 0 ? kv.Value.Spikes / kv.Value.Sites : 0),
            MeanFiringRate = allSites > 0 ? allSpikes / allSites : 0,
        };
    }
}
