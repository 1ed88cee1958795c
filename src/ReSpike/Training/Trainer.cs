using System.Diagnostics;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.IO;
using ReSpike.Models;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>
/// Trains a ReSpike network as the reference does (cross-entropy on segment-averaged logits, SGD +
/// cosine by default), evaluating after every epoch, and writes the run folder: config.json,
/// metrics.jsonl, summary.json, last/best checkpoints (best by clip-level top-1, the reference's choice),
/// TensorBoard events and PNG curves. A cancelled run saves a resume point at the step it reached, a run with
/// <see cref="TrainingOptions.SaveEvery"/> also every N steps (so a hard kill loses at most N steps);
/// --resume continues from it exactly.
/// </summary>
public sealed class Trainer(TrainingOptions options, string outputDirectory, ITrainingObserver? observer = null)
{
    readonly ITrainingObserver _observer = observer ?? new SilentObserver();

    public TrainingOptions Options { get; } = options.Validate();
    public RunFiles Files { get; } = new(outputDirectory);

    /// <summary>Codes of <see cref="TrainingWarning"/>s the caller knows about and does not want reported (the demo trains from scratch on purpose).</summary>
    public IReadOnlySet<string> SuppressedWarnings { get; init; } = new HashSet<string>();

    sealed class SilentObserver : ITrainingObserver;

    public TrainingResult Run(bool resume = false, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        if (Options.Threads > 0) torch.set_num_threads(Options.Threads);
        Directory.CreateDirectory(Files.Directory);
        if (!resume && File.Exists(Files.Last))
            throw new IOException($"--out: {Files.Directory} already holds a run (last.safetensors); pass --resume to continue it or choose another --out");
        if (resume && !File.Exists(Files.Last))
            throw new FileNotFoundException($"--resume: no checkpoint to resume in {Files.Directory} (expected last.safetensors)");
        if (Options.Init is { } initFile && !resume && !File.Exists(initFile))
            throw new FileNotFoundException($"--init: file not found: {Path.GetFullPath(initFile)} (named by the flag or the config's \"init\" field)", initFile);
        if (Options.Pretrained is { } weights && !resume && !File.Exists(weights))
            throw new FileNotFoundException($"--pretrained: file not found: {Path.GetFullPath(weights)} (named by the flag or the config's \"pretrained\" field)", weights);
        // temp files of a writer killed mid-write (kill -9): the files they were meant to replace are intact
        AtomicFile.RemoveLeftovers(Files.Directory);
        var warnings = TrainingWarning.For(Options).Where(w => !SuppressedWarnings.Contains(w.Code)).ToList();
        foreach (var w in warnings) _observer.Warning(w);

        var (train, test) = OpenData(cancel);
        var modelConfig = Options.Model with { NumClasses = train.Dataset.ClassNames.Count };
        var effective = Options with { Model = modelConfig };
        // paths under the working directory written relative to it: the file reproduces the run from another checkout
        AtomicFile.WriteAllText(Files.Config, effective.WithPathsRelativeTo(Environment.CurrentDirectory).ToJson() + "\n");
        foreach (var line in Options.DescribePipelines()) _observer.Message(line);

        torch.manual_seed(Options.Seed);
        using var net = ModelRegistry.Create(modelConfig);
        if (Options.Pretrained is { } pretrained && !resume)
        {
            var report = PretrainedWeights.LoadTorchvision(net, pretrained);
            _observer.Message($"imported {report.Loaded} ImageNet tensors into the ANN from {pretrained}");
        }
        if (Options.Init is { } init && !resume)
            _observer.Message($"started from the {InitialWeights.Load(net, init)} tensors of {init} (--init)");
        using IOptimizer optimizer = OptimizerRegistry.Optimizers.Get(Options.Optimizer).Create(net, Options.Momentum, Options.WeightDecay);
        var state = new TrainingState();
        var log = new MetricsLog(Files.Metrics);
        if (resume)
        {
            state = TrainingCheckpoint.Restore(Files.Last, net, optimizer);
            log.LoadFirst(state.Epoch);
            _observer.Message($"resuming at epoch {state.Epoch + 1}, step {state.Step}");
        }
        else log.LoadFirst(0);

        var schedule = ScheduleRegistry.Schedules.Get(Options.Schedule).Create(Options.LearningRate, Options.Epochs, Options.WarmupEpochs);
        var loader = new ClipLoader(train, ClipSampler.Parse(Options.Sampling, modelConfig.Frames), Options.TrainPipeline!,
            new LoaderOptions { BatchSize = Options.BatchSize, Shuffle = true, Seed = Options.Seed, Prefetch = Options.Prefetch });
        using var board = new TensorBoardLog(Files.TensorBoard);
        EvaluationReport? lastEval = null;
        var classNames = train.Dataset.ClassNames;

        for (int epoch = state.Epoch; epoch < Options.Epochs; epoch++)
        {
            double lr = schedule.At(epoch);
            int batches = loader.BatchCount(epoch);
            _observer.EpochStarted(epoch, Options.Epochs, batches, lr);
            var epochWatch = Stopwatch.StartNew();
            double secondsBefore = state.EpochSeconds;
            net.train();
            int step = state.Step;
            foreach (var batch in loader.Epoch(epoch, state.Step, cancel))
            {
                using var _ = batch;
                if (cancel.IsCancellationRequested) break;
                var (loss, correct) = TrainStep(net, optimizer, batch, lr, epoch, step);
                step++;
                state = state with
                {
                    Step = step,
                    LossSum = state.LossSum + loss * batch.Count,
                    Correct = state.Correct + correct,
                    Seen = state.Seen + batch.Count,
                    EpochSeconds = secondsBefore + epochWatch.Elapsed.TotalSeconds,
                };
                _observer.Step(epoch, step, batches, state.LossSum / state.Seen, (double)state.Correct / state.Seen, state.Seen / Math.Max(1e-9, state.EpochSeconds));
                // a resume point every N steps, and one before the evaluation, so a hard kill loses at most N steps
                if (Options.SaveEvery > 0 && (step % Options.SaveEvery == 0 || step == batches) && !cancel.IsCancellationRequested)
                    TrainingCheckpoint.Save(Files.Last, net, optimizer, state, classNames);
            }
            if (cancel.IsCancellationRequested)
            {
                TrainingCheckpoint.Save(Files.Last, net, optimizer, state, classNames);
                _observer.Message($"interrupted at epoch {epoch + 1}, step {step}: saved {Files.Last}; rerun with --resume to continue");
                return Result(log, true, state, train, loader, lastEval, warnings, watch);
            }

            if (Options.Evaluate && test is not null)
                // not cancellable: a half evaluation would be logged as the epoch's result; Ctrl-C takes effect right after it
                lastEval = Evaluator.Run(net, test, batchSize: Options.BatchSize, progress: _observer.Evaluating, protocol: EvaluationProtocol.Of(Options));
            var metrics = new EpochMetrics
            {
                Epoch = epoch + 1,
                TrainLoss = state.Seen == 0 ? double.NaN : state.LossSum / state.Seen,
                TrainTop1 = state.Seen == 0 ? 0 : (double)state.Correct / state.Seen,
                ClipTop1 = lastEval?.ClipTop1,
                VideoTop1 = lastEval?.VideoTop1,
                VideoTop5 = lastEval?.VideoTop5,
                MeanClassAcc = lastEval?.MeanClassAcc,
                Lr = lr,
                TrainClips = (int)state.Seen,
                ClipsPerS = state.Seen / Math.Max(1e-9, secondsBefore + epochWatch.Elapsed.TotalSeconds),
                Seconds = secondsBefore + epochWatch.Elapsed.TotalSeconds,
            };
            log.Append(metrics);
            board.Epoch(metrics);
            bool best = RunSummary.Improves(metrics, state.BestMetric);
            state = new TrainingState
            {
                Epoch = epoch + 1,
                BestMetric = best ? RunSummary.Score(metrics) : state.BestMetric,
                BestEpoch = best ? epoch + 1 : state.BestEpoch,
            };
            if (best) Checkpoint.Save(net, Files.Best, classNames, new Dictionary<string, string> { [Checkpoint.EpochKey] = (epoch + 1).ToString() });
            AtomicFile.WriteAllText(Files.Summary, RunSummary.From(log.Epochs).ToJson() + "\n");
            TrainingCheckpoint.Save(Files.Last, net, optimizer, state, classNames);
            _observer.EpochFinished(metrics, best);
        }
        TrainingCurves.Write(Files, log.Epochs);
        return Result(log, false, state, train, loader, lastEval, warnings, watch);
    }

    /// <summary>Skipped videos of the run: broken at indexing, failing later while training, and those of the last evaluation.</summary>
    TrainingResult Result(MetricsLog log, bool interrupted, TrainingState state, IndexedDataset train, ClipLoader loader, EvaluationReport? lastEval,
                          IReadOnlyList<TrainingWarning> warnings, Stopwatch watch)
    {
        var skipped = train.Skipped
            .Concat(loader.ReadFailures.Select(f => new SkippedVideo(f.Key, f.Value)))
            .Concat(lastEval?.SkippedVideos ?? [])
            .DistinctBy(s => s.Path)
            .ToList();
        return new(Files, log.Epochs, interrupted, state.BestEpoch, state.BestMetric, RunSummary.From(log.Epochs), skipped, lastEval, warnings, watch.Elapsed.TotalSeconds);
    }

    static (double Loss, int Correct) TrainStep(VideoModel net, IOptimizer optimizer, ClipBatch batch, double lr, int epoch, int step)
    {
        var result = TrainingStep.Run(net, optimizer, batch.Clips, batch.Labels, lr);
        if (!result.Updated) throw new TrainingDivergedException(epoch + 1, step + 1, result.Loss);
        return (result.Loss, result.Correct);
    }

    (IndexedDataset Train, IndexedDataset? Test) OpenData(CancellationToken cancel)
    {
        var (trainSet, trainReader) = Options.Data.Open(DatasetSubset.Train);
        if (trainSet.MissingSummary() is { } missingTrain) _observer.Message("warning: " + missingTrain);
        if (trainSet.Count == 0) throw new InvalidDataException($"{trainSet.Name} has no videos");
        var train = IndexedDataset.Build(trainSet, trainReader, progress: (d, t) => _observer.Indexing("train", d, t), cancel: cancel);
        if (train.UsableVideos == 0) throw new InvalidDataException($"none of the {trainSet.Count} training videos could be decoded (first: {train.Skipped.FirstOrDefault()?.Reason})");
        IndexedDataset? test = null;
        if (Options.Evaluate)
        {
            var (testSet, testReader) = Options.Data.Open(DatasetSubset.Test);
            if (testSet.MissingSummary() is { } missingTest) _observer.Message("warning: " + missingTest);
            if (!testSet.ClassNames.SequenceEqual(trainSet.ClassNames))
                throw new InvalidDataException($"train and test subsets list different classes ({trainSet.ClassNames.Count} vs {testSet.ClassNames.Count})");
            test = IndexedDataset.Build(testSet, testReader, progress: (d, t) => _observer.Indexing("test", d, t), cancel: cancel);
        }
        foreach (var s in train.Skipped.Concat(test?.Skipped ?? [])) _observer.Message($"skipping {s.Path}: {s.Reason}");
        return (train, test);
    }
}
