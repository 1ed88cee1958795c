using System.Diagnostics;
using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using ReSpike.Models;
using ReSpike.Spiking.Neurons;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training.Parity;

/// <summary>
/// Runs one training step with our code on the files `respike_ref.py parity --train` writes and compares it
/// with the reference's step: {weights before} + {clip, labels, logits, loss} + {grad.*, after.*}. Our side
/// is the code that trains — <see cref="TrainingStep"/>, <see cref="Sgd"/>, the fused LIF kernel (forced, so a
/// silent fallback cannot pass) and the fusion recompute in backward. When the step differs and some LIF
/// sites sat within float32 rounding of the threshold, <see cref="ThresholdTieBreaker"/> decides those sites
/// as the reference's logits say and the step is compared again; the report lists every forced site.
/// </summary>
public static class TrainStepParity
{
    /// <summary>Our logits must be this close to the reference's (max abs / max |ref|) once ties are decided.</summary>
    const double TieLogitsTolerance = 1e-5;

    public static TrainStepParityReport Run(string weightsPath, string ioPath, string expectedPath, ReSpikeConfig config,
                                            double lr, double momentum, double weightDecay, int? expectedImage = null,
                                            bool breakTies = true)
    {
        var watch = Stopwatch.StartNew();
        var expected = SafeTensorsFile.Open(expectedPath);
        if (!expected.Entries.Any(e => e.Name.StartsWith("grad.", StringComparison.Ordinal)))
            throw new InvalidDataException($"{expectedPath} has no 'grad.*' tensors (expected the .train.safetensors file of respike_ref.py parity --train)");

        using var scope = NewDisposeScope();
        var io = ReferenceIo.Read(ioPath, config, expectedImage, ["labels", "loss"], "respike_ref.py parity --train");
        var (clip, referenceLogits) = (io.Clip, io.Logits);
        var labels = io.File.Read("labels").to_type(ScalarType.Int64);
        double referenceLoss = io.File.Read("loss", floatToFloat32: true).to_type(ScalarType.Float64).flatten()[0].item<double>();
        config = io.Config;

        var attempt = new Attempt(weightsPath, expected, expectedPath, config, clip, labels, referenceLogits, referenceLoss, lr, momentum, weightDecay);
        var report = attempt.Run(breakTies: false);
        if (!report.Ok && breakTies) report = attempt.Run(breakTies: true);
        return report with { Seconds = watch.Elapsed.TotalSeconds };
    }

    /// <summary>One training step from the reference's weights on a fresh model, compared tensor by tensor.</summary>
    sealed record Attempt(string WeightsPath, SafeTensorsFile Expected, string ExpectedPath, ReSpikeConfig Config, Tensor Clip, Tensor Labels,
                          Tensor ReferenceLogits, double ReferenceLoss, double Lr, double Momentum, double WeightDecay)
    {
        public TrainStepParityReport Run(bool breakTies)
        {
            using var scope = NewDisposeScope();
            using var net = new ReSpikeNet(Config);
            StateDict.LoadFile(net, WeightsPath, new StateDictLoadOptions { MapName = ReferenceNames.ToOurs });
            net.RecomputeFusionInBackward = true;
            foreach (var neuron in net.modules().OfType<LIFNode>()) neuron.Kernel = LifKernel.Fused;
            net.train();

            using var ties = breakTies ? new ThresholdTieBreaker(net) : null;
            if (ties is not null)
            {
                // probe forwards in train mode move the BatchNorm statistics: put them back after each
                var buffers = net.named_buffers().Select(b => (b.buffer, saved: b.buffer.clone())).ToList();
                ties.Resolve(() =>
                {
                    using var _ = no_grad();
                    var logits = net.call(Clip);
                    foreach (var (buffer, saved) in buffers) buffer.copy_(saved);
                    return logits;
                }, ReferenceLogits, TieLogitsTolerance);
            }

            using var optimizer = new Sgd(net, Momentum, WeightDecay);
            var parameters = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var gradients = new Dictionary<string, Tensor>();
            double logitsRelErr = double.NaN;
            var step = TrainingStep.Run(net, optimizer, Clip, Labels, Lr,
                beforeUpdate: () =>
                {
                    foreach (var (name, p) in parameters)
                        if (p.grad is { } g) gradients[name] = g.detach().clone().MoveToOuterDisposeScope(); // out of the step's scope
                },
                inspectLogits: logits => logitsRelErr = (logits - ReferenceLogits).abs().max().item<float>() / (double)ReferenceLogits.abs().max().item<float>());
            if (!step.Updated) throw new InvalidDataException($"our loss is {step.Loss} (not finite); the reference's is {ReferenceLoss}");
            var (gradComparisons, afterComparisons) = Compare(net, gradients);

            return new TrainStepParityReport
            {
                Loss = step.Loss,
                ReferenceLoss = ReferenceLoss,
                LogitsRelErr = logitsRelErr,
                Gradients = gradComparisons,
                After = afterComparisons,
                ThresholdTies = ties?.Forced.ToList() ?? [],
                Sgd = new(Lr, Momentum, WeightDecay),
                FusedLif = true,
                FusionRecompute = net.RecomputeFusionInBackward,
                Seconds = 0,
            };
        }

        (List<TensorComparison> Gradients, List<TensorComparison> After) Compare(ReSpikeNet net, Dictionary<string, Tensor> gradients)
        {
            var ours = net.state_dict();
            var gradComparisons = new List<TensorComparison>();
            var afterComparisons = new List<TensorComparison>();
            var seenGrad = new HashSet<string>();
            var seenAfter = new HashSet<string>();
            foreach (var entry in Expected.Entries)
            {
                var (kind, referenceName) = Split(entry.Name, ExpectedPath);
                var ourName = ReferenceNames.ToOurs(referenceName)
                              ?? throw new InvalidDataException($"{ExpectedPath}: '{entry.Name}' names no tensor of our model");
                using var reference = Expected.Read(entry.Name);
                if (kind == "grad")
                {
                    if (!gradients.TryGetValue(ourName, out var g))
                        throw new InvalidDataException($"the reference has a gradient for {referenceName} but ours ({ourName}) got none");
                    gradComparisons.Add(TensorComparison.Of(referenceName, g, reference));
                    seenGrad.Add(ourName);
                }
                else
                {
                    if (!ours.TryGetValue(ourName, out var value))
                        throw new InvalidDataException($"{ExpectedPath}: '{entry.Name}' names no tensor of our model ({ourName})");
                    afterComparisons.Add(TensorComparison.Of(referenceName, value, reference));
                    seenAfter.Add(ourName);
                }
            }
            // every tensor of ours must have been checked: a name the reference lacks is a difference, not a pass
            var notChecked = ours.Keys.Where(n => !seenAfter.Contains(n))
                .Concat(gradients.Keys.Where(n => !seenGrad.Contains(n)).Select(n => "grad of " + n)).ToList();
            if (notChecked.Count > 0)
                throw new InvalidDataException($"{ExpectedPath} lacks {notChecked.Count} of our tensors, e.g. {string.Join(", ", notChecked.Take(3))}");
            return (gradComparisons, afterComparisons);
        }
    }

    static (string Kind, string Name) Split(string entry, string path)
    {
        int dot = entry.IndexOf('.');
        var kind = dot < 0 ? "" : entry[..dot];
        if (kind is not ("grad" or "after"))
            throw new InvalidDataException($"{path}: unexpected tensor '{entry}' (expected grad.<name> or after.<name>)");
        return (kind, entry[(dot + 1)..]);
    }
}
