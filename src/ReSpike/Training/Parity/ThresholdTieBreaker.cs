using ReSpike.Spiking.Neurons;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training.Parity;

/// <summary>
/// Spikes are a step function of the membrane potential: when the reference's h lands within a few float32
/// ulps of the threshold (it happens: a train-mode step at 112 px and stride 8 has ~10 of its 16 M LIF sites
/// within 1e-6, one exactly on it), any other correct float32 implementation may decide that site the other
/// way, and one flipped spike moves the loss by ~1e-3. This finds such sites and the decisions that reproduce
/// the reference's logits, so the step can then be compared tensor by tensor.
///
/// Mechanism: hooks on every LIF layer record the sites whose margin |h − v_th| is at most
/// <see cref="Window"/>; a forced decision adds a constant to that one input so h lands <see cref="Nudge"/>
/// on the chosen side (the gradient through x is unchanged, and the value moves by under 1e-5). Greedy search:
/// while our logits differ from the reference's, force the one candidate whose flip brings them closest.
/// </summary>
public sealed class ThresholdTieBreaker : IDisposable
{
    /// <summary>Sites this close to the threshold are candidates (our LIF inputs differ from the reference's by ~1e-7..1e-6).</summary>
    public const double Window = 4e-6;
    /// <summary>Where a forced site's h is put, on the chosen side of the threshold.</summary>
    public const double Nudge = 1e-6;
    /// <summary>Candidates tried per round, smallest margins first.</summary>
    public const int MaxCandidates = 24;

    readonly List<Action> removers = [];
    readonly List<ThresholdTie> forced = [];
    readonly List<ThresholdTie> candidates = [];
    bool recording;

    public ThresholdTieBreaker(nn.Module root)
    {
        foreach (var (name, module) in root.named_modules())
        {
            if (module is not LIFNode neuron) continue;
            // the replay below is h = v + (x - v) / tau over a [T, N, ...] sequence: ReSpike's LIF
            if (!neuron.DecayInput || neuron.RestingPotential != 0 || neuron.StepMode != ReSpike.Spiking.StepMode.Multi)
                throw new NotSupportedException($"{name}: threshold ties are resolved for multi-step decay_input LIF neurons resting at 0 only");
            var layer = name;
            removers.Add(neuron.register_forward_pre_hook((_, x) => Force(layer, neuron, x)).remove);
            removers.Add(neuron.register_forward_hook((_, x, spikes) =>
            {
                if (recording) Record(layer, neuron, x, spikes);
                return spikes;
            }).remove);
        }
        if (removers.Count == 0) throw new ArgumentException("the model has no LIF neurons");
    }

    /// <summary>The decisions forced so far.</summary>
    public IReadOnlyList<ThresholdTie> Forced => forced;

    /// <summary>
    /// Finds forced decisions that bring <paramref name="forward"/>'s logits within <paramref name="tolerance"/>
    /// (max |ours − ref| / max |ref|) of the reference's. <paramref name="forward"/> must leave the model as it
    /// found it (restore BatchNorm statistics). Returns the final logits error.
    /// </summary>
    public double Resolve(Func<Tensor> forward, Tensor referenceLogits, double tolerance, int maxForced = 8)
    {
        double error = Run(forward, referenceLogits, record: true);
        while (error > tolerance && forced.Count < maxForced)
        {
            var trials = candidates.Where(c => !forced.Any(f => f.Layer == c.Layer && f.Index == c.Index))
                                   .OrderBy(c => Math.Abs(c.Margin)).Take(MaxCandidates).ToList();
            ThresholdTie? best = null;
            double bestError = error;
            foreach (var candidate in trials)
            {
                forced.Add(candidate with { Spike = !candidate.Spike });
                double e = Run(forward, referenceLogits, record: false);
                forced.RemoveAt(forced.Count - 1);
                if (e < bestError) (best, bestError) = (candidate with { Spike = !candidate.Spike }, e);
                if (bestError <= tolerance) break; // this flip explains the whole difference: no need to try the rest
            }
            if (best is null) break; // no single flip helps: not a rounding tie
            forced.Add(best);
            error = Run(forward, referenceLogits, record: true); // candidates downstream of the flip moved
        }
        return error;
    }

    double Run(Func<Tensor> forward, Tensor referenceLogits, bool record)
    {
        if (record) candidates.Clear();
        recording = record;
        try
        {
            using var scope = NewDisposeScope();
            var logits = forward();
            return (logits - referenceLogits).abs().max().item<float>() / Math.Max(referenceLogits.abs().max().item<float>(), 1e-30);
        }
        finally { recording = false; }
    }

    /// <summary>Adds to x the constants that put each forced site's h just on its chosen side.</summary>
    Tensor Force(string layer, LIFNode neuron, Tensor x)
    {
        var mine = forced.Where(f => f.Layer == layer).OrderBy(f => f.Index).ToList();
        if (mine.Count == 0) return x;
        long steps = x.shape[0], sites = x.numel() / steps;
        using var flat = x.detach().reshape(steps, sites).to(CPU);
        var delta = zeros(x.numel(), dtype: x.dtype);
        foreach (var site in mine)
        {
            long t = site.Index / sites, i = site.Index % sites;
            // replay this one neuron up to step t (earlier forced steps of it included), then solve h = target for x_t
            var xs = flat[.., i].to_type(ScalarType.Float64).data<double>().ToArray();
            for (long k = 0; k < steps; k++) xs[k] += delta[k * sites + i].item<float>();
            double v = neuron.RestingPotential, target = neuron.VThreshold + (site.Spike ? Nudge : -Nudge);
            for (long k = 0; k < t; k++)
            {
                double h = v + (xs[k] - v) / neuron.Tau;
                v = h >= neuron.VThreshold ? Reset(neuron, h) : h;
            }
            double needed = v + (target - v) * neuron.Tau;
            delta[site.Index] = (float)(needed - xs[t] + delta[site.Index].item<float>());
        }
        return x + delta.reshape(x.shape).to(x.device);
    }

    static double Reset(LIFNode neuron, double h) => neuron.VReset is { } r ? r : h - neuron.VThreshold;

    /// <summary>Replays the layer (float32, our decisions) to find the sites with |h − v_th| within the window.</summary>
    void Record(string layer, LIFNode neuron, Tensor x, Tensor spikes)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long steps = x.shape[0];
        var v = full_like(x[0], neuron.RestingPotential);
        for (long t = 0; t < steps; t++)
        {
            var h = v + (x[t].detach() - v) / neuron.Tau;
            var margin = (h - neuron.VThreshold).flatten();
            var near = margin.abs().le(Window).nonzero().flatten();
            if (near.numel() > 0)
            {
                var fired = spikes[t].flatten().index(near);
                var m = margin.index(near);
                long sites = margin.numel();
                for (long k = 0; k < near.numel(); k++)
                    candidates.Add(new(layer, t * sites + near[k].item<long>(), m[k].item<float>(), fired[k].item<float>() > 0.5f));
            }
            var s = spikes[t].detach();
            v = neuron.VReset is { } r ? h * (1 - s) + r * s : h - neuron.VThreshold * s;
        }
    }

    public void Dispose()
    {
        foreach (var remove in removers) remove();
        removers.Clear();
    }
}
