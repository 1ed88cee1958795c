using System.CommandLine;
using ReSpike.Data;
using ReSpike.Data.Cache;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike prepare`: decode a dataset once into the frame cache that training reads without ffmpeg.</summary>
static class PrepareCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var subset = new Option<string>("--subset") { Description = "Which videos: train, test or all.", DefaultValueFactory = _ => "all" }
            .AcceptOnly("train", "test", "all").InGroup(HelpGroup.Data);
        var workers = new Option<int>("--workers") { Description = "Videos decoded in parallel (0 = one per core).", DefaultValueFactory = _ => 0 }.InGroup(HelpGroup.Run);
        var image = new Option<int>("--image") { Description = "Crop size the cache is for: frames are decoded at what it needs unless --short-side is given (as train does).", DefaultValueFactory = _ => new ReSpikeConfig().ImageSize }.InGroup(HelpGroup.Data);
        var testCrop = CommonOptions.TestCrop("centre");
        var json = CommonOptions.Json();
        var mpiTimeout = CommonOptions.MpiTimeout();
        var command = new Command("prepare", "Decode a dataset once into the frame cache that training reads without ffmpeg.").Document(
            "Frames are cached as uint8 at --short-side (by default what --image and --test-crop need, as train decodes).\n" +
            "Resumable: rerun after an interruption and only the missing videos are decoded. Broken videos are listed, not fatal.",
            "respike prepare --dataset ucf101 --root ../shared/data/weizmann4 --split 1 --image 112",
            "mpiexec -n 4 respike prepare --dataset ucf101 --root /data/ucf101 --split 1 --image 112   # ranks share the videos");
        data.AddTo(command);
        command.Options.Add(subset);
        command.Options.Add(workers);
        command.Options.Add(image);
        command.Options.Add(testCrop);
        command.Options.Add(json);
        command.Options.Add(mpiTimeout);
        command.SetAction(parse => CommonOptions.InGroup(parse.GetValue(mpiTimeout), group =>
        {
            DatasetSpec spec;
            try { spec = data.Read(parse).ForImage(parse.GetValue(image), parse.GetValue(testCrop) is { } tc ? TestCrops.Parse(tc) : TestCrop.Centre); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (spec.Kind == DatasetKind.Synthetic) throw new UsageException("--dataset synthetic is generated in memory and needs no cache");
            if (spec.Kind is DatasetKind.Idx or DatasetKind.ImageFolder)
                throw new UsageException($"--dataset {(spec.Kind == DatasetKind.Idx ? "idx" : "image-folder")} is read in process (images, no video decoding) and needs no cache");
            if (spec.CacheDirectory is null) throw new UsageException("--no-cache contradicts prepare (which fills the cache)");
            var subsets = parse.GetValue(subset) switch { "train" => [DatasetSubset.Train], "test" => [DatasetSubset.Test], _ => new[] { DatasetSubset.Train, DatasetSubset.Test } };
            var videos = new List<VideoEntry>();
            FrameCache? cache = null;
            foreach (var s in subsets)
            {
                var (dataset, reader) = spec.Open(s);
                if (group.IsRoot && dataset.MissingSummary() is { } missing) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(missing)}");
                if (group.IsRoot) AnsiConsole.MarkupLine($"{Markup.Escape(dataset.Name)}: {dataset.Count} videos, {dataset.ClassNames.Count} classes");
                videos.AddRange(dataset.Videos);
                cache = (FrameCache)reader;
            }
            var unique = videos.DistinctBy(v => v.Path).ToList();
            using var ctrlC = new CtrlC();
            PrepareReport report;
            try
            {
                report = !group.IsRoot
                    ? CachePreparer.Prepare(cache!, unique, parse.GetValue(workers), cancel: ctrlC.Token, group: group)
                    : AnsiConsole.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .Start(ctx =>
                        {
                            // rank 0's share under MPI
                            var task = ctx.AddTask("decoding", maxValue: unique.Count);
                            return CachePreparer.Prepare(cache!, unique, parse.GetValue(workers), (done, total) => { task.MaxValue = total; task.Value = done; }, ctrlC.Token, group);
                        });
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine("[yellow]interrupted:[/] finished entries are kept; run the same command again to continue");
                return CliRunner.Failure;
            }
            if (!group.IsRoot) return CliRunner.Ok;
            AnsiConsole.MarkupLine($"cache {Markup.Escape(cache!.Root)}: {report.Decoded} decoded, {report.Reused} already cached, " +
                                   $"{report.Failed.Count} failed, {report.CacheBytes / 1e6:0.0} MB, {report.Seconds:0.0} s");
            foreach (var f in report.Failed.Take(20)) AnsiConsole.MarkupLine($"  [red]skipped[/] {Markup.Escape(f.Path)}: {Markup.Escape(f.Reason)}");
            if (parse.GetValue(json) is { } file)
                JsonReport.Write(file.FullName, new { cache = cache.Root, report.Videos, report.Decoded, report.Reused, failed = report.Failed, cache_bytes = report.CacheBytes, report.Seconds });
            return CliRunner.Ok;
        }));
        return command;
    }
}
