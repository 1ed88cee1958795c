using System.CommandLine;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Data.Transforms;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Training;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike eval`: clip-level and video-level accuracy of a checkpoint, per-class accuracy and a confusion matrix.</summary>
static class EvalCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint (best.safetensors or last.safetensors of a run).", Required = true }.InGroup(HelpGroup.Model);
        var sampling = CommonOptions.Sampling("Clip-level test clips: clips, segments, segments:centre or uniform:N.")
            .DefaultText("the training's, from config.json beside --checkpoint; else clips");
        var testCrop = CommonOptions.TestCrop("the training's, from config.json beside --checkpoint; else centre");
        var clips = new Option<int>("--clips") { Description = "Video level: clips per video (0 = the clip-level clips).", DefaultValueFactory = _ => 0 }.InGroup(HelpGroup.Data);
        var crops = new Option<int>("--crops") { Description = "Video level: crops per clip, 1 (centre) or 3.", DefaultValueFactory = _ => 1 }.AcceptOnly("1", "3").InGroup(HelpGroup.Data);
        var batch = new Option<int>("--batch") { Description = "Clips per forward pass.", DefaultValueFactory = _ => 8 }.InGroup(HelpGroup.Run);
        var energySamples = new Option<int>("--energy-samples") { Description = "Test clips to measure firing rates and energy per clip on (0 = skip; the paper uses 100).", DefaultValueFactory = _ => 100 }.InGroup(HelpGroup.Measurement);
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Folder for report.json, per_class.csv, confusion.csv/png." }.DefaultText("beside the checkpoint, eval-<dataset>/").InGroup(HelpGroup.Output);
        var exitThreshold = CommonOptions.ExitThreshold();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var mpiTimeout = CommonOptions.MpiTimeout();
        var command = new Command("eval", "Evaluate a checkpoint on the test subset: clip- and video-level accuracy.").Document(
            "Clip level follows the reference protocol: the training's --sampling and --test-crop, read from the run's config.json.\n" +
            "Video level: top-1, top-5 and mean-class accuracy over N clips x M crops per video. Writes per-class accuracy and a confusion matrix.",
            "respike eval --checkpoint runs/weizmann/best.safetensors --dataset ucf101 --root ../shared/data/weizmann4 --split 1 --clips 5 --crops 3 --json eval.json",
            "respike eval --checkpoint runs/weizmann/best.safetensors --root ../shared/data/weizmann4 --exit-threshold 0.9 --json exit.json",
            "mpiexec -n 2 respike eval --checkpoint runs/weizmann/best.safetensors --dataset ucf101 --root ../shared/data/weizmann4 --threads 1   # ranks share the batches; same numbers");
        data.AddTo(command);
        foreach (var o in new Option[] { checkpoint, sampling, testCrop, clips, crops, exitThreshold, energySamples, outDir, json, batch, threads, mpiTimeout }) command.Options.Add(o);
        command.SetAction(parse => CommonOptions.InGroup(parse.GetValue(mpiTimeout), group =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var path = CommonOptions.ExistingFile(parse.GetValue(checkpoint)!, "--checkpoint");
            int nClips = parse.GetValue(clips), nCrops = parse.GetValue(crops), nBatch = parse.GetValue(batch);
            if (nClips < 0) throw new UsageException($"--clips must be >= 0, got {nClips}");
            if (nBatch < 1) throw new UsageException($"--batch must be >= 1, got {nBatch}");
            int nEnergy = parse.GetValue(energySamples);
            if (nEnergy < 0) throw new UsageException($"--energy-samples must be >= 0, got {nEnergy}");
            var exit = CommonOptions.SegmentExit(parse.GetValue(exitThreshold));
            var trained = EvaluationProtocol.ForCheckpoint(path);
            var protocol = (parse.GetValue(testCrop) is { } tc ? trained.WithTestCrop(TestCrops.Parse(tc)) : trained) with { Sampling = parse.GetValue(sampling) ?? trained.Sampling };
            var savedNames = Checkpoint.ReadClassNames(path);
            using var net = Checkpoint.Load(path);
            if (exit is not null)
                try { ISegmentedModel.Require(net, "--exit-threshold"); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
            DatasetSpec spec;
            try
            {
                protocol.Sampler(net.Config.Frames); // an unknown --sampling fails here, naming the flag
                spec = data.Read(parse).ForImage(net.Config.ImageSize, protocol.TestCrop, preferred: protocol.ShortSide);
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (!data.LabelOrderGiven(parse)) spec = spec.WithLabelOrderOf(savedNames);
            if (group.IsRoot) AnsiConsole.MarkupLine(Markup.Escape($"protocol: {protocol.Describe()} ({(trained.Source is null ? "defaults: no config.json beside --checkpoint" : "training's, from " + trained.Source)}" +
                                                 $"{(protocol != trained ? ", overridden by flags" : "")}); decode short side {spec.Decode.ShortSide}"));
            var (dataset, reader) = spec.Open(DatasetSubset.Test);
            if (group.IsRoot && dataset.MissingSummary() is { } missing) AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(missing));
            if (savedNames is { } names && !names.SequenceEqual(dataset.ClassNames))
                throw new UsageException($"--checkpoint: the model's classes ({string.Join(", ", names.Take(4))}...) are not the dataset's ({string.Join(", ", dataset.ClassNames.Take(4))}...)" +
                    (spec.Kind == DatasetKind.Ucf101 && names.Order(StringComparer.Ordinal).SequenceEqual(dataset.ClassNames.Order(StringComparer.Ordinal))
                        ? $"; the same classes numbered differently: drop --label-order {spec.LabelOrder.Name()}" : ""));
            if (!group.IsRoot)
            {
                // the other ranks score their share of the batches; rank 0 gathers, measures energy, writes and prints
                Evaluator.Run(net, IndexedDataset.Build(dataset, reader), nClips, nCrops, nBatch, protocol: protocol, group: group);
                return CliRunner.Ok;
            }
            EvaluationReport report = null!;
            EnergyReport? energy = null;
            AnsiConsole.Progress().Start(ctx =>
            {
                var index = ctx.AddTask("indexing", maxValue: Math.Max(1, dataset.Count));
                var indexed = IndexedDataset.Build(dataset, reader, progress: (d, _) => index.Value = d);
                var eval = ctx.AddTask("evaluating");
                report = Evaluator.Run(net, indexed, nClips, nCrops, nBatch, (d, t) => { eval.MaxValue = Math.Max(1, t); eval.Value = d; }, protocol: protocol, group: group, exit: exit);
                if (nEnergy > 0)
                {
                    var counting = ctx.AddTask("energy (firing rates on test clips)").IsIndeterminate();
                    energy = EnergyAnalysis.OnTestClips(net, indexed, new EnergyAnalysisOptions { Samples = nEnergy, Checkpoint = path });
                    counting.StopTask();
                }
            });
            var folder = parse.GetValue(outDir)?.FullName ?? EvaluationFiles.DefaultFolder(path, spec.Kind);
            var summary = EvaluationFiles.Summary(path, net.Config.Name, report, protocol, protocol.Pipeline(net.Config.ImageSize, nCrops).Describe(), energy);
            EvaluationFiles.WriteAll(folder, report, summary);
            Print(report, folder);
            if (report.ExitThreshold is { } tau)
                AnsiConsole.MarkupLine(Markup.Escape($"early exit at tau {tau}: {report.MeanSegments:0.###} of {report.Segments} segments per clip, {report.EnergyMj:0.###} mJ per clip (45 nm fp32, counted on the work done)"));
            if (energy is not null)
                AnsiConsole.MarkupLine(Markup.Escape($"energy per {(exit is null ? "" : "full ")}clip: {energy.EnergyMj:0.###} mJ (45 nm fp32; {energy.TotalGmacs:0.###} GMACs + {energy.TotalGacs:0.###} GACs; firing rate {energy.FiringRate:0.####} over {energy.Samples} clips)"));
            if (parse.GetValue(json) is { } file) JsonReport.Write(file.FullName, summary);
            return CliRunner.Ok;
        }));
        return command;
    }

    static void Print(EvaluationReport r, string folder)
    {
        var table = new Table().AddColumns("class", "videos", "correct", "accuracy");
        foreach (var c in r.PerClass) table.AddRow(Markup.Escape(c.Name), c.Videos.ToString(), c.Correct.ToString(), double.IsNaN(c.Accuracy) ? "-" : c.Accuracy.ToString("P1"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape($"clip top-1 {r.ClipTop1:P2} ({r.Clips} clips) | video top-1 {r.VideoTop1:P2}, top-5 {r.VideoTop5:P2}, mean class {r.MeanClassAcc:P2} ({r.Videos} videos, {(r.ClipsPerVideo == 0 ? "all" : r.ClipsPerVideo.ToString())} clips x {r.Crops} crop(s)) | skipped {r.Skipped}"));
        foreach (var s in r.SkippedVideos.Take(10)) AnsiConsole.MarkupLine("  [yellow]skipped[/] " + Markup.Escape($"{s.Path}: {s.Reason}"));
        AnsiConsole.MarkupLine(Markup.Escape($"files: {folder}/{EvaluationFiles.Report}, {EvaluationFiles.PerClass}, {EvaluationFiles.Confusion}, {EvaluationFiles.ConfusionPlot}"));
    }
}
