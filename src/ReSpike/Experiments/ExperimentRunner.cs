using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Energy;
using ReSpike.IO;
using ReSpike.Models;
using ReSpike.Training;

namespace ReSpike.Experiments;

/// <summary>How an experiment ended: the cells that have results (in grid order) and whether every cell finished.</summary>
public sealed record ExperimentResult(IReadOnlyList<CellResult> Cells, IReadOnlyList<string> Missing, bool Interrupted, double Seconds, ExperimentFiles Files);

/// <summary>
/// Runs an experiment grid (`respike experiment ablation`, `respike experiment stride`): every cell is a normal training run
/// in its own folder (GRID/ID, or GRID/ID/splitN with several splits) followed by an evaluation of its final model and an
/// energy count on the test clips. A cell's cell.json records the settings it was started with and, once done, its
/// results, so a rerun skips finished cells, resumes a killed cell from its last.safetensors (bit-exactly, as
/// `respike train --resume`), and refuses a folder that holds a run with other settings. The reports are rewritten after
/// every cell, so a grid stopped half-way still has its table of the cells done.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>The file in a cell's run folder that marks it as a cell of a grid (settings, then results).</summary>
    public const string CellFile = "cell.json";

    public static ExperimentResult Run(ExperimentSettings settings, Func<string, ITrainingObserver> observerFor,
                                       Action<string>? log = null, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        if (settings.Cells.Count == 0) throw new ArgumentException("--cells: no cells to run");
        if (settings.EnergySamples < 1) throw new ArgumentException($"--energy-samples: need at least 1, got {settings.EnergySamples}");
        var files = new ExperimentFiles(settings.OutputDirectory, settings.Name);
        Directory.CreateDirectory(files.Directory);
        // every cell's settings are checked before any trains: a typo in the 9th cell should not wait for 8 runs
        var plans = settings.Cells.ToDictionary(c => c.Id, c => Splits(settings).Select(split => Plan(settings, c, split)).ToList());

        var done = new List<CellResult>();
        bool interrupted = false;
        foreach (var cell in settings.Cells)
        {
            var perSplit = new List<CellResult>();
            foreach (var plan in plans[cell.Id])
            {
                if (cancel.IsCancellationRequested) { interrupted = true; break; }
                var result = RunCell(cell, plan, settings, observerFor, log, cancel);
                if (result is null) { interrupted = true; break; }
                perSplit.Add(result);
            }
            if (interrupted) break;
            done.Add(CellResult.Mean(perSplit));
            ExperimentReport.Write(files, settings, done, Missing(settings, done));
        }
        var missing = Missing(settings, done);
        if (done.Count > 0) ExperimentReport.Write(files, settings, done, missing);
        return new ExperimentResult(done, missing, interrupted, watch.Elapsed.TotalSeconds, files);
    }

    static IReadOnlyList<string> Missing(ExperimentSettings settings, List<CellResult> done) =>
        settings.Cells.Select(c => c.Id).Except(done.Select(d => d.Id)).ToList();

    static IReadOnlyList<int?> Splits(ExperimentSettings settings) =>
        settings.Splits is { Count: > 0 } splits ? splits.Select(s => (int?)s).ToList() : [null];

    /// <summary>
    /// A cell's training plan for one split (null: the configured split), with its run folder. Always built as a fresh run (a
    /// resumed invocation would read the folder's config.json instead of the grid's settings); <see cref="RunCell"/> turns
    /// it into a resume when the folder holds a checkpoint.
    /// </summary>
    static TrainingPlan Plan(ExperimentSettings settings, ExperimentCell cell, int? split)
    {
        var dir = Path.Combine(Path.GetFullPath(settings.OutputDirectory), cell.Id);
        if (split is { } n) dir = Path.Combine(dir, $"split{n}");
        var flags = settings.Flags with
        {
            Model = cell.Model,
            Stride = cell.Stride ?? settings.Flags.Stride,
            Data = split is { } s ? settings.Flags.Data with { Split = s } : settings.Flags.Data,
        };
        var invocation = new TrainingInvocation
        {
            Config = settings.Config,
            Sets = [.. settings.Sets, .. cell.Sets ?? []],
            Flags = flags,
            Out = dir,
        };
        try { return invocation.Build(); }
        catch (ArgumentException e) { throw new ArgumentException($"cell {cell.Id} ({cell.Model}): {e.Message}", e); }
    }

    /// <summary>The settings a cell's result depends on (the thread count only changes speed).</summary>
    // threads and recomputation change how fast a cell trains, not what it learns
    static string Fingerprint(TrainingPlan plan) => (plan.Options with { Threads = 0, RecomputeSpikeLayers = false }).ToJson();

    static CellResult? RunCell(ExperimentCell cell, TrainingPlan plan, ExperimentSettings settings, Func<string, ITrainingObserver> observerFor,
                               Action<string>? log, CancellationToken cancel)
    {
        var runFiles = new RunFiles(plan.OutputDirectory);
        var cellFile = Path.Combine(runFiles.Directory, CellFile);
        var fingerprint = Fingerprint(plan);
        if (File.Exists(cellFile))
        {
            var saved = ReadCellFile(cellFile);
            if (saved["options"]?.GetValue<string>() != fingerprint)
                throw new IOException($"{runFiles.Directory} holds cell {cell.Id} trained with other settings (its {CellFile}); " +
                                      "rerun with the settings it was started with, or choose another --out");
            if (saved["result"] is JsonObject finished)
            {
                log?.Invoke($"{cell.Id}: finished earlier, reusing {cellFile}");
                // the row is this grid's cell (a folder trained with identical settings may come from another grid)
                return finished.Deserialize<CellResult>()! with { Id = cell.Id, Model = cell.Model };
            }
        }
        else if (Directory.Exists(runFiles.Directory) && Directory.EnumerateFileSystemEntries(runFiles.Directory).Any())
        {
            throw new IOException($"{runFiles.Directory} exists and is not a cell of this experiment (no {CellFile}); choose another --out");
        }
        Directory.CreateDirectory(runFiles.Directory);
        plan = plan with { Resume = File.Exists(runFiles.Last) };
        // a cell killed before its first checkpoint starts over: its partial logs must not mix into the new run's
        if (!plan.Resume) ClearExcept(runFiles.Directory, cellFile);
        AtomicFile.WriteAllText(cellFile, new JsonObject { ["id"] = cell.Id, ["model"] = cell.Model, ["options"] = fingerprint }.ToJsonString(Indented) + "\n");

        log?.Invoke(plan.Resume ? $"{cell.Id}: resuming {runFiles.Last}" : $"{cell.Id}: training {cell.Model} in {runFiles.Directory}");
        var training = plan.Run(observerFor(cell.Id), cancel);
        if (training.Interrupted) return null;

        var result = Measure(cell, plan, training, settings.EnergySamples, plan.Options.Data.Split);
        var json = new JsonObject
        {
            ["id"] = cell.Id, ["model"] = cell.Model, ["options"] = fingerprint,
            ["result"] = JsonSerializer.SerializeToNode(result),
        };
        AtomicFile.WriteAllText(cellFile, json.ToJsonString(Indented) + "\n");
        log?.Invoke($"{cell.Id}: video top-1 {result.VideoTop1:P1}, clip top-1 {result.ClipTop1:P1}, {result.EnergyMj:0.###} mJ per clip");
        return result;
    }

    static void ClearExcept(string directory, string keep)
    {
        foreach (var file in Directory.EnumerateFiles(directory).Where(f => f != keep)) File.Delete(file);
        foreach (var sub in Directory.EnumerateDirectories(directory)) Directory.Delete(sub, recursive: true);
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    static JsonObject ReadCellFile(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid {CellFile} ({e.Message}); delete the cell's folder to run it again"); }
    }

    /// <summary>Accuracy of the final model (the trainer's last evaluation, or a fresh one after resuming a finished run) and its energy.</summary>
    static CellResult Measure(ExperimentCell cell, TrainingPlan plan, TrainingResult training, int energySamples, int split)
    {
        var options = plan.Options;
        var last = training.Files.Last;
        using var net = Checkpoint.Load(last);
        var (testSet, reader) = options.Data.Open(DatasetSubset.Test);
        var test = IndexedDataset.Build(testSet, reader);
        var eval = training.LastEvaluation ?? Evaluator.Run(net, test, protocol: EvaluationProtocol.Of(options));
        var energy = EnergyAnalysis.OnTestClips(net, test, new EnergyAnalysisOptions { Samples = energySamples, Baseline = false, Checkpoint = last });
        var entry = ModelRegistry.Models.Get(net.Config.Name);
        return new CellResult
        {
            Id = cell.Id,
            Model = cell.Model,
            Inputs = net is ReSpikeNet r ? r.Preset.InputsText(r.AnnRoute, r.SnnRoute) : entry.Inputs,
            Stride = net.Config.Stride,
            VideoTop1 = eval.VideoTop1,
            ClipTop1 = eval.ClipTop1,
            EnergyMj = energy.EnergyMj,
            Gmacs = energy.TotalGmacs,
            Gacs = energy.TotalGacs,
            FiringRate = energy.FiringRate,
            Params = net.ParameterCount,
            TrainSeconds = training.Epochs.Sum(e => e.Seconds),
            PerClass = eval.PerClass.Where(c => c.Videos > 0).ToDictionary(c => c.Name, c => c.Accuracy),
            Splits = [split],
            RunDirectory = training.Files.Directory,
        };
    }
}
