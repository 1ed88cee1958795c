using System.Diagnostics;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Distributed;
using ReSpike.IO;
using ReSpike.Models;
using ReSpike.Spiking;
using ReSpike.Training.Hooks;
using ReSpike.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>
/// Trains a ReSpike network as the reference does (cross-entropy on segment-averaged logits, SGD +
/// cosine by default), evaluating after every epoch. The loop is here; what a run writes is done by its
/// <see cref="Hooks"/> (by default <see cref="DefaultHooks"/>: metrics.jsonl, TensorBoard, firing rates, run.log,
/// curves, summary.json, last/best checkpoints — best by clip-level top-1, the reference's choice). A cancelled run
/// saves a resume point at the step it reached, a run with <see cref="TrainingOptions.SaveEvery"/> also every N steps
/// (so a hard kill loses at most N steps); --resume continues from it exactly.
/// Under MPI (<paramref name="group"/> of several ranks) it trains data-parallel: every rank builds the same model from the seed,
/// trains on its share of each step's clips (<see cref="StepLayout"/>), gradients are averaged (<see cref="DataParallelStep"/>),
/// the evaluation is sharded (<see cref="Evaluator"/>); only rank 0 runs the hooks, so only it writes the run folder.
/// </summary>
public sealed class Trainer(TrainingOptions options, string outputDirectory, ITrainingObserver? observer = null, IProcessGroup? group = null)
{
    readonly ITrainingObserver _observer = observer ?? new SilentObserver();

    /// <summary>The ranks training together (a single process unless launched by mpiexec/srun).</summary>
    public IProcessGroup Group { get; } = group ?? SingleProcess.Instance;

    public TrainingOptions Options { get; } = options.Validate();
    public RunFiles Files { get; } = new(outputDirectory);

    /// <summary>Codes of <see cref="TrainingWarning"/>s the caller knows about and does not want reported (the demo trains from scratch on purpose).</summary>
    public IReadOnlySet<string> SuppressedWarnings { get; init; } = new HashSet<string>();

    /// <summary>
    /// The hooks called at each point of the run, in this order: <see cref="DefaultHooks.For"/> the options to begin with;
    /// add, insert or remove before <see cref="Run"/>. Keep <see cref="CheckpointHook"/> after hooks that write epoch files.
    /// </summary>
    public List<ITrainingHook> Hooks { get; } = (group ?? SingleProcess.Instance).IsRoot ? DefaultHooks.For(options) : [];

    /// <summary>The checkpoint a resumed run reads (default: the run folder's last.safetensors).</summary>
    public string? ResumeFrom { get; init; }

    sealed class SilentObserver : ITrainingObserver;

    public TrainingResult Run(bool resume = false, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        if (Options.Threads > 0) torch.set_num_threads(Options.Threads);
        Directory.CreateDirectory(Files.Directory);
        if (!resume && File.Exists(Files.Last))
            throw new IOException($"--out: {Files.Directory} already holds a run (last.safetensors); pass --resume to continue it or choose another --out");
        string resumeFrom = ResumeFrom ?? Files.Last;
        if (resume && !File.Exists(resumeFrom))
            throw new FileNotFoundException($"--resume: no checkpoint to resume in {Files.Directory} (expected last.safetensors)");
        if (Options.Init is { } initFile && !resume && !File.Exists(initFile))
            throw new FileNotFoundException($"--init: file not found: {Path.GetFullPath(initFile)} (named by the flag or the config's \"init\" field)", initFile);
        if (Options.Pretrained is { } weights && !resume && !File.Exists(weights))
            throw new FileNotFoundException($"--pretrained: file not found: {Path.GetFullPath(weights)} (named by the flag or the config's \"pretrained\" field)", weights);
        // temp files of a writer killed mid-write (kill -9): the files they were meant to replace are intact
        if (Group.IsRoot) AtomicFile.RemoveLeftovers(Files.Directory);
        var warnings = TrainingWarning.For(Options).Where(w => !SuppressedWarnings.Contains(w.Code)).ToList();
        foreach (var w in warnings) _observer.Warning(w);

        var (train, test) = OpenData(cancel);
        var modelConfig = Options.Model with { NumClasses = train.Dataset.ClassNames.Count };
        var effective = Options with { Model = modelConfig };
        // paths under the working directory written relative to it: the file reproduces the run from another checkout
        if (Group.IsRoot) AtomicFile.WriteAllText(Files.Config, effective.WithPathsRelativeTo(Environment.CurrentDirectory).ToJson() + "\n");
        foreach (var line in Options.DescribePipelines()) _observer.Message(line);

        torch.manual_seed(Options.Seed);
        using var net = ModelRegistry.Create(modelConfig);
        if (Options.Pretrained is { } pretrained && !resume)
        {
            _observer.Message(PretrainedWeights.Load(net, pretrained));
        }
        if (Options.Init is { } init && !resume)
            _observer.Message($"started from the {InitialWeights.Load(net, init)} tensors of {init} (--init)");
        using IOptimizer optimizer = OptimizerRegistry.Optimizers.Get(Options.Optimizer).Create(net, Options.Momentum, Options.WeightDecay);
        var state = new TrainingState();
        if (resume)
        {
            state = TrainingCheckpoint.Restore(resumeFrom, net, optimizer);
            _observer.Message($"resuming at epoch {state.Epoch + 1}, step {state.Step}");
        }
        var history = new MetricsLog(Files.Metrics).ReadFirst(state.Epoch);

        var schedule = ScheduleRegistry.Schedules.Get(Options.Schedule).Create(Options.LearningRate, Options.Epochs, Options.WarmupEpochs);
        var loader = new ClipLoader(train, ClipSampler.Parse(Options.Sampling, modelConfig.Frames), Options.TrainPipeline!,
            new LoaderOptions { BatchSize = Options.BatchSize, Shuffle = true, Seed = Options.Seed, Prefetch = Options.Prefetch });
        var layout = new StepLayout(Options.BatchSize, Options.Accumulate, Group.Size, Group.Rank);
        // accumulation and data parallelism share one step; a plain run keeps the single-batch step
        using var parallel = layout.MicroBatchesPerStep > 1 ? new DataParallelStep(net, optimizer, Group, Options.SegmentLoss) : null;
        if (parallel is not null)
            _observer.Message($"global batch {layout.GlobalBatch} clips per step = --batch {layout.MicroBatch} x {layout.Ranks} rank(s) x --accumulate {layout.Accumulate}" +
                              $"; gradients averaged in {parallel.Buckets} bucket(s) of {parallel.GradientBytes / 1e6:0.0} MB in all; {Group.Describe()}");
        if (Options.FreezeBatchNorm) _observer.Message($"--freeze-bn: {FrozenBatchNorm.Apply(net)} BatchNorm layer(s) keep their running statistics");
        if (Options.RecomputeSpikeLayers) _observer.Message($"--recompute-spike-layers: {Functional.SetRecomputeSpikeLayers(net, true)} spiking block(s) keep only their input spikes and recompute in backward");
        using var context = new TrainingContext(effective, Files, net, optimizer, train.Dataset.ClassNames, _observer, resume, state, history, cancel)
        {
            Epoch = state.Epoch,
            GlobalStep = Enumerable.Range(0, state.Epoch).Sum(e => layout.Steps(loader.Clips(e).Count, 0)) + state.Step,
            Layout = layout,
        };
        EvaluationReport? lastEval = null;
        try
        {
            Each(h => h.BeforeRun(context));
            for (int epoch = state.Epoch; epoch < Options.Epochs; epoch++)
            {
                lastEval = TrainEpoch(context, epoch, schedule.At(epoch), loader, test, parallel) ?? lastEval;
                if (context.Outcome == RunOutcome.Interrupted) break;
            }
            if (context.Outcome == RunOutcome.Running) context.Outcome = RunOutcome.Completed;
        }
        catch
        {
            context.Outcome = RunOutcome.Failed;
            foreach (var hook in Hooks)
                try { hook.AfterRun(context); }
                catch (Exception) { /* the run's own exception is the one to report */ }
            throw;
        }
        Each(h => h.AfterRun(context));
        return Result(context, train, loader, lastEval, warnings, watch);
    }

    void Each(Action<ITrainingHook> call)
    {
        foreach (var hook in Hooks) call(hook);
    }

    /// <summary>One epoch: its steps, then (unless cancelled) the evaluation and the epoch's hooks. Returns the evaluation, if any.</summary>
    EvaluationReport? TrainEpoch(TrainingContext c, int epoch, double lr, ClipLoader loader, IndexedDataset? test, DataParallelStep? parallel)
    {
        var state = c.State;
        int clipCount = loader.Clips(epoch).Count;
        // checkpoints from before positions were saved: a single process, one batch per step
        long position = state.Position > 0 || state.Step == 0 ? state.Position : (long)state.Step * Options.BatchSize;
        int batches = state.Step + c.Layout.Steps(clipCount, position);
        (c.Epoch, c.Step, c.Batches, c.LearningRate, c.Metrics, c.IsBest) = (epoch, state.Step, batches, lr, null, false);
        _observer.EpochStarted(epoch, Options.Epochs, batches, lr);
        Each(h => h.BeforeEpoch(c));
        var epochWatch = Stopwatch.StartNew();
        double secondsBefore = state.EpochSeconds;
        double EpochSeconds() => secondsBefore + epochWatch.Elapsed.TotalSeconds;
        c.Model.train();
        if (Options.FreezeBatchNorm) FrozenBatchNorm.Apply(c.Model);
        var micro = c.Layout.LocalMicroBatches(clipCount, position).ToList();
        bool interrupted = parallel is null
            ? TrainBatches(c, epoch, lr, loader, micro, clipCount, EpochSeconds)
            : TrainSteps(c, epoch, lr, loader, micro, clipCount, position, parallel, EpochSeconds);
        state = c.State;
        if (interrupted)
        {
            c.Outcome = RunOutcome.Interrupted;
            return null;
        }

        EvaluationReport? eval = null;
        if (Options.Evaluate && test is not null)
            // not cancellable: a half evaluation would be logged as the epoch's result; Ctrl-C takes effect right after it
            eval = Evaluator.Run(c.Model, test, batchSize: Options.BatchSize, progress: _observer.Evaluating, protocol: EvaluationProtocol.Of(Options), group: Group);
        double seconds = EpochSeconds();
        var metrics = new EpochMetrics
        {
            Epoch = epoch + 1,
            TrainLoss = state.Seen == 0 ? double.NaN : state.LossSum / state.Seen,
            TrainTop1 = state.Seen == 0 ? 0 : (double)state.Correct / state.Seen,
            ClipTop1 = eval?.ClipTop1,
            VideoTop1 = eval?.VideoTop1,
            VideoTop5 = eval?.VideoTop5,
            MeanClassAcc = eval?.MeanClassAcc,
            Lr = lr,
            TrainClips = (int)state.Seen,
            ClipsPerS = state.Seen / Math.Max(1e-9, seconds),
            Seconds = seconds,
        };
        bool best = RunSummary.Improves(metrics, state.BestMetric);
        c.Add(metrics);
        (c.Metrics, c.IsBest) = (metrics, best);
        c.State = new TrainingState
        {
            Epoch = epoch + 1,
            BestMetric = best ? RunSummary.Score(metrics) : state.BestMetric,
            BestEpoch = best ? epoch + 1 : state.BestEpoch,
        };
        Each(h => h.AfterEpoch(c));
        _observer.EpochFinished(metrics, best);
        return eval;
    }

    /// <summary>A step per batch (one process, no accumulation): the reference's loop. Returns true when cancelled.</summary>
    bool TrainBatches(TrainingContext c, int epoch, double lr, ClipLoader loader, List<(int Step, int Start, int Count)> micro, int clipCount, Func<double> epochSeconds)
    {
        var state = c.State;
        var wait = Stopwatch.StartNew();
        foreach (var batch in loader.Epoch(epoch, micro.Select(m => (m.Start, m.Count)).ToList(), c.Cancel))
        {
            using var _ = batch;
            double waited = wait.Elapsed.TotalSeconds;
            if (c.Cancel.IsCancellationRequested) break;
            var stepWatch = Stopwatch.StartNew();
            var result = TrainingStep.Run(c.Model, c.Optimizer, batch.Clips, batch.Labels, lr, segmentLoss: Options.SegmentLoss);
            if (!result.Updated) throw new TrainingDivergedException(epoch + 1, c.Step + 1, result.Loss);
            state = state with
            {
                Step = c.Step + 1,
                Position = Math.Min(batch.Start + (long)c.Layout.MicroBatch, clipCount),
                LossSum = state.LossSum + result.Loss * batch.Count,
                Correct = state.Correct + result.Correct,
                Seen = state.Seen + batch.Count,
                EpochSeconds = epochSeconds(),
            };
            AfterStep(c, epoch, state, new StepReport(result.Loss, result.Correct, batch.Count, stepWatch.Elapsed.TotalSeconds, waited));
            wait.Restart();
        }
        return c.Cancel.IsCancellationRequested;
    }

    /// <summary>
    /// Steps of several micro-batches (accumulation, data parallelism): each step takes this rank's micro-batches of it, all
    /// ranks reduce, all update. Ctrl-C on any rank stops every rank after the same step. Returns true when stopped.
    /// </summary>
    bool TrainSteps(TrainingContext c, int epoch, double lr, ClipLoader loader, List<(int Step, int Start, int Count)> micro, int clipCount,
                    long position, DataParallelStep parallel, Func<double> epochSeconds)
    {
        var state = c.State;
        int steps = c.Batches - c.Step;
        // not cancellable mid-epoch: every rank must serve all its micro-batches of the steps it takes part in
        using var batches = loader.Epoch(epoch, micro.Select(m => (m.Start, m.Count)).ToList(), serveEmpty: true).GetEnumerator();
        int next = 0;
        for (int s = 0; s < steps; s++)
        {
            var wait = Stopwatch.StartNew();
            var local = new List<ClipBatch>();
            try
            {
                for (; next < micro.Count && micro[next].Step == s; next++)
                {
                    if (!batches.MoveNext()) throw new InvalidOperationException($"the loader served fewer than the {micro.Count} micro-batches of epoch {epoch + 1}");
                    local.Add(batches.Current);
                }
                double waited = wait.Elapsed.TotalSeconds;
                var stepWatch = Stopwatch.StartNew();
                var result = parallel.Run(local.Where(b => b.Count > 0).ToList(), lr, c.Cancel.IsCancellationRequested, $"epoch {epoch + 1}, step {c.Step + 1}");
                if (!result.Updated) throw new TrainingDivergedException(epoch + 1, c.Step + 1, result.Loss);
                state = state with
                {
                    Step = c.Step + 1,
                    Position = Math.Min(position + (s + 1L) * c.Layout.GlobalBatch, clipCount),
                    LossSum = state.LossSum + (result.Clips == 0 ? 0 : result.Loss * result.Clips),
                    Correct = state.Correct + result.Correct,
                    Seen = state.Seen + result.Clips,
                    EpochSeconds = epochSeconds(),
                };
                AfterStep(c, epoch, state, new StepReport(result.Loss, result.Correct, result.Clips, stepWatch.Elapsed.TotalSeconds, waited, result.CommunicationSeconds));
                if (result.StopRequested) return true;
            }
            finally
            {
                foreach (var b in local) b.Dispose();
            }
        }
        return false;
    }

    void AfterStep(TrainingContext c, int epoch, TrainingState state, StepReport step)
    {
        (c.State, c.Step, c.GlobalStep) = (state, state.Step, c.GlobalStep + 1);
        c.LastStep = step;
        _observer.Step(epoch, c.Step, c.Batches, state.LossSum / state.Seen, (double)state.Correct / state.Seen, state.Seen / Math.Max(1e-9, state.EpochSeconds));
        Each(h => h.AfterStep(c));
    }

    /// <summary>Skipped videos of the run: broken at indexing, failing later while training, and those of the last evaluation.</summary>
    TrainingResult Result(TrainingContext c, IndexedDataset train, ClipLoader loader, EvaluationReport? lastEval,
                          IReadOnlyList<TrainingWarning> warnings, Stopwatch watch)
    {
        var skipped = train.Skipped
            .Concat(loader.ReadFailures.Select(f => new SkippedVideo(f.Key, f.Value)))
            .Concat(lastEval?.SkippedVideos ?? [])
            .DistinctBy(s => s.Path)
            .ToList();
        var epochs = c.History.ToList();
        return new(Files, epochs, c.Outcome == RunOutcome.Interrupted, c.State.BestEpoch, c.State.BestMetric, RunSummary.From(epochs), skipped, lastEval,
                   warnings, watch.Elapsed.TotalSeconds);
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
