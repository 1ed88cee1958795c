using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Models;
using ReSpike.Plotting;
using ReSpike.Training;

namespace ReSpike.EarlyExit;

/// <summary>
/// `respike experiment exit`: evaluates checkpoints under early exit for a list of thresholds tau (each a real
/// run in which skipped segments are never computed) and draws video top-1 against energy per clip, one curve per
/// checkpoint. Tau = 1 never exits: that point is the full model.
/// </summary>
public static class ExitSweep
{
    /// <summary>The thresholds swept when none are given; 1 (the full model) is always added.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0];

    /// <summary>
    /// The test subset of the dataset a checkpoint was trained on (config.json beside it), decoded as its evaluation does;
    /// <paramref name="root"/> replaces the dataset folder when given.
    /// </summary>
    public static (IndexedDataset Test, EvaluationProtocol Protocol) TestSetOf(string checkpoint, string? root = null)
    {
        var files = new RunFiles(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!);
        if (!File.Exists(files.Config))
            throw new FileNotFoundException($"--checkpoint {checkpoint}: no config.json beside it naming its dataset (a run folder written by respike train is needed)", files.Config);
        var options = TrainingOptions.FromJsonFile(files.Config).Validate();
        var spec = root is null ? options.Data : options.Data with { Root = Path.GetFullPath(root) };
        var (dataset, reader) = spec.Open(DatasetSubset.Test);
        if (Checkpoint.ReadClassNames(checkpoint) is { } names && !names.SequenceEqual(dataset.ClassNames))
            throw new InvalidDataException($"--checkpoint {checkpoint}: its classes are not those of its run's test set {dataset.Name}");
        return (IndexedDataset.Build(dataset, reader), EvaluationProtocol.ForCheckpoint(checkpoint));
    }

    /// <summary>
    /// Every threshold from one pass: each test clip's K segment logits and the energy of each segment are recorded once,
    /// then early exit is replayed per tau (ascending; 1 added if missing). Segments are independent, so the replay takes the
    /// decisions, accuracies and segment counts `eval --exit-threshold` takes (a test checks it); a segment's energy is its
    /// batch's mean (MACs are exact, ACs follow the batch's spikes), close to eval's per-clip count.
    /// </summary>
    public static IReadOnlyList<ExitSweepPoint> Run(VideoModel net, string label, IndexedDataset test, EvaluationProtocol protocol,
                                                    IEnumerable<double> thresholds, int batchSize = 8, Action<ExitSweepPoint>? done = null)
    {
        var scores = SegmentScores.Measure(net, test, protocol, batchSize);
        var points = new List<ExitSweepPoint>();
        foreach (var tau in thresholds.Append(1.0).Distinct().Order())
        {
            var point = scores.Replay(new SegmentExit(tau), label);
            points.Add(point);
            done?.Invoke(point);
        }
        return points;
    }

    /// <summary>Video top-1 (%) against energy per clip (mJ), one line per model, tau rising along each line to the full model.</summary>
    public static void Plot(IReadOnlyList<ExitSweepPoint> points, string pngPath, string title)
    {
        var series = points.GroupBy(p => p.Model)
            .Select(g => new LineSeries(g.Key, g.Select(p => p.EnergyMj).ToList(), g.Select(p => p.VideoTop1 * 100).ToList()))
            .ToList();
        LineChart.Write(pngPath, series, title, "energy per clip (mJ, 45 nm fp32, work actually done)", "video top-1 (%)");
    }
}
