using System.Diagnostics;
using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using ReSpike.Spiking.Neurons;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using ReSpike.Training.Parity;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// One training step of a SpikingResformer against the official one (`bench/spikingresformer_ref.py parity --train`):
/// train-mode forward (BatchNorm batch statistics over T*B, DSSA firing-rate EMA), cross-entropy of the
/// time-averaged logits, backward, SGD; then the loss, every gradient and every state-dict tensor after the step
/// (firing-rate buffers and BatchNorm statistics included) are compared. LIF sites within float32 rounding of the
/// threshold are decided as the official logits require (<see cref="ThresholdTieBreaker"/>) when the plain step differs.
/// </summary>
public static class SpikingResformerTrainStepParity
{
    const double TieLogitsTolerance = 1e-5;

    public static TrainStepParityReport Run(string weightsPath, string ioPath, string expectedPath, ReSpikeConfig config,
                                            double lr, double momentum, double weightDecay)
    {
        var watch = Stopwatch.StartNew();
        var expected = SafeTensorsFile.Open(expectedPath);
        if (!expected.Entries.Any(e => e.Name.StartsWith("grad.", StringComparison.Ordinal)))
            throw new InvalidDataException($"{expectedPath} has no 'grad.*' tensors (expected the .train.safetensors file of {SpikingResformerParity.Producer} --train)");
        using var scope = NewDisposeScope();
        var (image, referenceLogits) = SpikingResformerParity.ReadIo(ioPath, config, ["labels", "loss"]);
        var file = SafeTensorsFile.Open(ioPath);
        var labels = file.Read("labels").to_type(ScalarType.Int64);
        double referenceLoss = file.Read("loss", floatToFloat32: true).to_type(ScalarType.Float64).flatten()[0].item<double>();
        var report = Attempt(weightsPath, expected, expectedPath, config, image, labels, referenceLogits, referenceLoss, lr, momentum, weightDecay, breakTies: false);
        if (!report.Ok) report = Attempt(weightsPath, expected, expectedPath, config, image, labels, referenceLogits, referenceLoss, lr, momentum, weightDecay, breakTies: true);
        return report with { Seconds = watch.Elapsed.TotalSeconds };
    }

    static TrainStepParityReport Attempt(string weightsPath, SafeTensorsFile expected, string expectedPath, ReSpikeConfig config, Tensor image,
                                         Tensor labels, Tensor referenceLogits, double referenceLoss, double lr, double momentum, double weightDecay, bool breakTies)
    {
        using var scope = NewDisposeScope();
        using var net = (SpikingResformerNet)ModelRegistry.Create(config);
        StateDict.LoadFile(net, weightsPath);
        net.train();
        // the official logits are per timestep [T, B, N]; ours of the step are their mean
        using var referenceMean = referenceLogits.mean([0]);
        using var ties = breakTies && net.modules().OfType<LIFNode>().Any() ? new ThresholdTieBreaker(net) : null;
        if (ties is not null)
        {
            var buffers = net.named_buffers().Select(b => (b.buffer, saved: b.buffer.clone())).ToList();
            ties.Resolve(() =>
            {
                using var _ = no_grad();
                var logits = net.ForwardTimesteps(image);
                foreach (var (buffer, saved) in buffers) buffer.copy_(saved);
                return logits;
            }, referenceLogits, TieLogitsTolerance);
        }

        using var optimizer = new Sgd(net, momentum, weightDecay);
        var parameters = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var gradients = new Dictionary<string, Tensor>();
        double logitsRelErr = double.NaN;
        var step = TrainingStep.Run(net, optimizer, image, labels, lr,
            beforeUpdate: () =>
            {
                foreach (var (name, p) in parameters)
                    if (p.grad is { } g) gradients[name] = g.detach().clone().MoveToOuterDisposeScope();
            },
            inspectLogits: logits => logitsRelErr = (logits - referenceMean).abs().max().item<float>() / (double)referenceMean.abs().max().item<float>());
        if (!step.Updated) throw new InvalidDataException($"our loss is {step.Loss} (not finite); the official one is {referenceLoss}");

        var ours = net.state_dict();
        var gradComparisons = new List<TensorComparison>();
        var afterComparisons = new List<TensorComparison>();
        foreach (var entry in expected.Entries)
        {
            int dot = entry.Name.IndexOf('.');
            var (kind, name) = dot < 0 ? ("", entry.Name) : (entry.Name[..dot], entry.Name[(dot + 1)..]);
            using var reference = expected.Read(entry.Name);
            if (kind == "grad")
                gradComparisons.Add(TensorComparison.Of(name, gradients.TryGetValue(name, out var g) ? g
                    : throw new InvalidDataException($"the official step has a gradient for {name}, ours none"), reference));
            else if (kind == "after")
                afterComparisons.Add(TensorComparison.Of(name, ours.TryGetValue(name, out var v) ? v
                    : throw new InvalidDataException($"{expectedPath}: '{entry.Name}' names no tensor of ours"), reference));
            else throw new InvalidDataException($"{expectedPath}: unexpected tensor '{entry.Name}' (expected grad.<name> or after.<name>)");
        }
        if (afterComparisons.Count != ours.Count || gradComparisons.Count != gradients.Count)
            throw new InvalidDataException($"{expectedPath} checks {afterComparisons.Count} of our {ours.Count} tensors and {gradComparisons.Count} of our {gradients.Count} gradients");

        return new TrainStepParityReport
        {
            Loss = step.Loss,
            ReferenceLoss = referenceLoss,
            LogitsRelErr = logitsRelErr,
            Gradients = gradComparisons,
            After = afterComparisons,
            ThresholdTies = ties?.Forced.ToList() ?? [],
            Sgd = new(lr, momentum, weightDecay),
            FusedLif = false,
            FusionRecompute = false,
            Seconds = 0,
        };
    }
}
