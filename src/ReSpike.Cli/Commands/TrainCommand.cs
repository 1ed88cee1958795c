using System.CommandLine;
using System.Globalization;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike train`: parses the flags into a <see cref="TrainingInvocation"/> (the library owns the config/--set/flag/resume rules) and prints the run.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var f = new TrainingFlagOptions();
        var out_ = new Option<DirectoryInfo?>("--out") { Description = "Run folder (config.json, metrics.jsonl, last/best.safetensors, tensorboard/, PNG curves); required unless --resume names a checkpoint." }.InGroup(HelpGroup.Output);
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a run exactly where it stopped: alone, --out's last.safetensors; with a checkpoint, that one (in its own folder, or copied into --out with its metrics).",
            HelpName = "CKPT",
            Arity = ArgumentArity.ZeroOrOne,
        }.InGroup(HelpGroup.Run);
        var mpiTimeout = CommonOptions.MpiTimeout();
        var allocator = CommonOptions.Allocator("tcmalloc when installed, otherwise glibc's default");
        var json = CommonOptions.Json();
        var command = new Command("train", "Train a model on a dataset; evaluates after every epoch.").Document(
            "Ctrl-C saves a resume point (exit 1). Flags override --set, which overrides --config; a run's config.json reproduces it.",
            "respike train --dataset synthetic --epochs 3 --out runs/syn",
            "respike train --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --out runs/weizmann",
            "respike train --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --set epochs=1 --out runs/quick",
            "respike train --config runs/weizmann/config.json --out runs/weizmann-again",
            "respike train --out runs/weizmann --resume",
            "mpiexec -n 4 respike train --dataset synthetic --batch 4 --threads 1 --out runs/syn4   # data-parallel, docs/distributed.md");
        f.Data.AddTo(command);
        foreach (var o in new Option[] { f.Model, f.Backbone, f.Image, f.Frames, f.Stride, f.Fusion, f.Pretrained, f.Init, f.Sampling, f.TrainCrop, f.TestCrop, f.MinCropScale, f.NoFlip,
                                         f.Batch, f.Accumulate, f.FreezeBatchNorm, f.RecomputeSpikeLayers, f.Epochs, f.Lr, f.Optimizer, f.Schedule, f.WeightDecay, f.Warmup, f.Seed, f.SegmentLoss, out_, f.NoEval, f.SaveEvery, json, f.Config, f.Set, resume, f.Threads, allocator, mpiTimeout })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyAllocator(parse.GetValue(allocator)!, training: true);
            var invocation = new TrainingInvocation
            {
                Config = parse.GetValue(f.Config),
                Sets = parse.GetValue(f.Set) ?? [],
                Out = parse.GetValue(out_)?.FullName,
                Resume = parse.GetResult(resume) is not null,
                ResumeFrom = parse.GetValue(resume),
                Init = parse.GetValue(f.Init)?.FullName,
                Flags = f.Flags(parse),
            };
            TrainingPlan plan;
            try { plan = invocation.Build(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            return CommonOptions.InGroup(parse.GetValue(mpiTimeout), group => Train(plan, group, parse.GetValue(json)));
        });
        return command;
    }

    static int Train(TrainingPlan plan, Distributed.IProcessGroup group, FileInfo? json)
    {
        if (!group.IsRoot)
        {
            // the other ranks train in silence: rank 0 prints and writes the run folder
            using var quiet = new CtrlC();
            return plan.Run(null, quiet.Token, group).Interrupted ? CliRunner.Failure : CliRunner.Ok;
        }
        var result = RunWithProgress(plan, group);
        PrintSummary(result);
        if (json is { } file)
            JsonReport.Write(file.FullName, new
            {
                out_dir = result.Files.Directory, result.Interrupted, epochs = result.Epochs,
                best_epoch = result.Summary.Best?.Epoch, best_clip_top1 = result.Summary.Best?.ClipTop1, best_epoch_video_top1 = result.Summary.Best?.VideoTop1,
                best_video_epoch = result.Summary.BestVideo?.Epoch, best_video_top1 = result.Summary.BestVideo?.VideoTop1,
                video_top1 = result.LastEvaluation?.VideoTop1, clip_top1 = result.LastEvaluation?.ClipTop1,
                warnings = result.Warnings.Select(w => w.Text).ToList(),
                skipped = result.Skipped.Count, result.Seconds,
            });
        return result.Interrupted ? CliRunner.Failure : CliRunner.Ok;
    }

    /// <summary>Runs a trainer under a progress display; Ctrl-C asks it to save a resume point and stop.</summary>
    static TrainingResult RunWithProgress(TrainingPlan plan, Distributed.IProcessGroup group)
    {
        using var ctrlC = new CtrlC();
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => plan.Run(new ConsoleTrainingObserver(ctx), ctrlC.Token, group));
    }

    static void PrintSummary(TrainingResult r)
    {
        if (r.Skipped.Count > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{r.Skipped.Count} video(s) skipped[/] (could not be decoded):");
            foreach (var v in r.Skipped.Take(10)) AnsiConsole.MarkupLine("  " + Markup.Escape($"{v.Path}: {v.Reason}"));
        }
        var s = r.Summary;
        if (s.Best is { ClipTop1: double bestClip } best)
            AnsiConsole.MarkupLine(Markup.Escape($"best: epoch {best.Epoch}, clip top-1 {bestClip:P1}, video top-1 {best.VideoTop1:P1} (best.safetensors; chosen by clip top-1, the reference's metric)"));
        else if (s.Best is { } byLoss)
            AnsiConsole.MarkupLine(Markup.Escape($"best: epoch {byLoss.Epoch}, train loss {byLoss.TrainLoss:0.0000} (best.safetensors; no evaluation, so chosen by training loss)"));
        if (s.BestVideo is { VideoTop1: double bestVideo } bv)
            AnsiConsole.MarkupLine(Markup.Escape($"best video top-1: {bestVideo:P1} at epoch {bv.Epoch} (clip top-1 {bv.ClipTop1:P1})"));
        if (s.Last is { } last)
        {
            var counts = r.LastEvaluation is { } e ? $" ({e.Videos} videos, {e.Clips} clips)" : "";
            var lastEval = last.ClipTop1 is double clip
                ? $", clip top-1 {clip:P1}, video top-1 {last.VideoTop1:P1}, top-5 {last.VideoTop5:P1}, mean class {last.MeanClassAcc:P1}{counts}"
                : $", train loss {last.TrainLoss:0.0000}";
            AnsiConsole.MarkupLine(Markup.Escape($"last: epoch {last.Epoch}{lastEval} (last.safetensors)"));
        }
        AnsiConsole.MarkupLine(Markup.Escape($"run folder: {r.Files.Directory} ({r.Seconds:0} s)"));
    }
}
