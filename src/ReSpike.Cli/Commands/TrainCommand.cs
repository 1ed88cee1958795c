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
        var data = new DatasetOptions();
        var config = new Option<string?>("--config")
        {
            Description = "Training config: a name from configs/ (e.g. respike_r18_8x4_10e_weizmann4; an unknown name lists them) or a JSON file " +
                          "(fields as in a run's config.json, which reproduces its run). Precedence: config < --set < flags.",
            HelpName = "NAME|FILE",
        }.InGroup(HelpGroup.Run);
        var set = new Option<string[]>("--set")
        {
            Description = "Override one config field, by config.json's key (dotted for nested; repeatable): --set epochs=1 --set model.stride=2 " +
                          "--set data.decode.short_side=128. Applied after --config, before the flags.",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        }.InGroup(HelpGroup.Run);
        // nullable, so that a flag left out keeps the config's value: [default: X] is the library's value without a config
        var d = new TrainingOptions();
        static string T(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        var model = CommonOptions.Model();
        var backbone = CommonOptions.Backbone();
        var image = new Option<int?>("--image") { Description = "Crop size in pixels (a multiple of 16)." }.DefaultText(T(d.Model.ImageSize)).InGroup(HelpGroup.Model);
        var frames = new Option<int?>("--frames") { Description = "Frames per clip T, a multiple of the stride." }.DefaultText(T(d.Model.Frames)).InGroup(HelpGroup.Model);
        var stride = new Option<int?>("--stride") { Description = "Key-frame stride s (s-1 residual frames per key frame)." }.DefaultText(T(d.Model.Stride)).InGroup(HelpGroup.Model);
        var fusion = new Option<string?>("--fusion") { Description = CommonOptions.FusionDescription }.AcceptOnly([.. ModelNames.FusionNames]).DefaultText(d.Model.Fusion.Name()).InGroup(HelpGroup.Model);
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "Torchvision ImageNet weights (safetensors, see README) for the ANN branch, as the paper; without them the ANN starts from scratch (a warning says so). For r3d-18, mc3-18, r2plus1d-18: torchvision's Kinetics-400 video weights (.pth or .safetensors; docs/baselines.md). For spikingresformer-*: an official checkpoint (.pth or safetensors)." }.InGroup(HelpGroup.Model);
        var init = new Option<FileInfo?>("--init") { Description = "Start a new run from a ReSpike checkpoint's weights (respike init's output, another run's best.safetensors); every tensor must match by name and shape; the optimizer starts fresh." }.InGroup(HelpGroup.Model);
        var batch = new Option<int?>("--batch") { Description = "Clips per batch (the reference's runs use 32 on HMDB/UCF, 16 on K400)." }.DefaultText(T(d.BatchSize)).InGroup(HelpGroup.Optimisation);
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (the reference trains 100)." }.DefaultText(T(d.Epochs)).InGroup(HelpGroup.Optimisation);
        var lr = new Option<double?>("--lr") { Description = "Base learning rate (the reference's README uses 1e-4 with ImageNet weights)." }.DefaultText(T(d.LearningRate)).InGroup(HelpGroup.Optimisation);
        var optimizer = CommonOptions.OneOf("--optimizer", OptimizerRegistry.Optimizers, "Optimizer", d.Optimizer).InGroup(HelpGroup.Optimisation);
        var schedule = CommonOptions.OneOf("--schedule", ScheduleRegistry.Schedules, "Learning-rate schedule", d.Schedule).InGroup(HelpGroup.Optimisation);
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay." }.DefaultText(T(d.WeightDecay)).InGroup(HelpGroup.Optimisation);
        var warmup = new Option<int?>("--warmup") { Description = "Linear warm-up epochs before the cosine schedule." }.DefaultText(T(d.WarmupEpochs)).InGroup(HelpGroup.Optimisation);
        var seed = new Option<int?>("--seed") { Description = "Seed for init, data order and augmentation (the reference's)." }.DefaultText(T(d.Seed)).InGroup(HelpGroup.Optimisation);
        var sampling = CommonOptions.Sampling("Clips for training and evaluation: clips (all consecutive; the reference's UCF-101/HMDB-51), segments (one TSN clip per video, random offsets; the reference's Kinetics-400), segments:centre, uniform:N.")
            .DefaultText(d.Sampling);
        var trainCrop = CommonOptions.TrainCrop();
        var testCrop = CommonOptions.TestCrop(d.TestCrop.Name());
        var minCropScale = new Option<double?>("--min-crop-scale") { Description = "Smallest crop area fraction for RandomResizedCrop (the reference's)." }.DefaultText(T(d.MinCropScale)).InGroup(HelpGroup.Data);
        var noFlip = new Option<bool>("--no-flip") { Description = "No random horizontal flip (for classes that differ by left/right direction)." }.InGroup(HelpGroup.Data);
        var segmentLoss = new Option<bool>("--segment-loss") { Description = "Train for early exit: cross-entropy on each segment's running mean of logits (TET-style), so a prediction after the first k segments is reliable (eval/predict/stream --exit-threshold). ReSpike variants." }.InGroup(HelpGroup.Optimisation);
        var out_ = new Option<DirectoryInfo?>("--out") { Description = "Run folder (config.json, metrics.jsonl, last/best.safetensors, tensorboard/, PNG curves); required unless --resume names a checkpoint." }.InGroup(HelpGroup.Output);
        var noEval = new Option<bool>("--no-eval") { Description = "Skip the per-epoch evaluation on the test subset." }.InGroup(HelpGroup.Output);
        var saveEvery = new Option<int?>("--save-every") { Description = "Also save last.safetensors every N steps and before each evaluation, so a hard kill (kill -9) loses at most N steps (0: at the end of each epoch only)." }
            .DefaultText(T(d.SaveEvery)).InGroup(HelpGroup.Output);
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a run exactly where it stopped: alone, --out's last.safetensors; with a checkpoint, that one (in its own folder, or copied into --out with its metrics).",
            HelpName = "CKPT",
            Arity = ArgumentArity.ZeroOrOne,
        }.InGroup(HelpGroup.Run);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train", "Train a model on a dataset; evaluates after every epoch.").Document(
            "Ctrl-C saves a resume point (exit 1). Flags override --set, which overrides --config; a run's config.json reproduces it.",
            "respike train --dataset synthetic --epochs 3 --out runs/syn",
            "respike train --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --out runs/weizmann",
            "respike train --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --set epochs=1 --out runs/quick",
            "respike train --config runs/weizmann/config.json --out runs/weizmann-again",
            "respike train --out runs/weizmann --resume");
        data.AddTo(command);
        foreach (var o in new Option[] { model, backbone, image, frames, stride, fusion, pretrained, init, sampling, trainCrop, testCrop, minCropScale, noFlip,
                                         batch, epochs, lr, optimizer, schedule, weightDecay, warmup, seed, segmentLoss, out_, noEval, saveEvery, json, config, set, resume, threads })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            var invocation = new TrainingInvocation
            {
                Config = parse.GetValue(config),
                Sets = parse.GetValue(set) ?? [],
                Out = parse.GetValue(out_)?.FullName,
                Resume = parse.GetResult(resume) is not null,
                ResumeFrom = parse.GetValue(resume),
                Init = parse.GetValue(init)?.FullName,
                Flags = new TrainingFlags
                {
                    Model = Given(model) ? parse.GetValue(model) : null,
                    Backbone = Given(backbone) ? parse.GetValue(backbone) : null,
                    Stride = parse.GetValue(stride),
                    Frames = parse.GetValue(frames),
                    Image = parse.GetValue(image),
                    Fusion = parse.GetValue(fusion),
                    Batch = parse.GetValue(batch),
                    Epochs = parse.GetValue(epochs),
                    LearningRate = parse.GetValue(lr),
                    Optimizer = parse.GetValue(optimizer),
                    Schedule = parse.GetValue(schedule),
                    WeightDecay = parse.GetValue(weightDecay),
                    Warmup = parse.GetValue(warmup),
                    Seed = parse.GetValue(seed),
                    Sampling = parse.GetValue(sampling),
                    TrainCrop = parse.GetValue(trainCrop),
                    TestCrop = parse.GetValue(testCrop),
                    MinCropScale = parse.GetValue(minCropScale),
                    NoFlip = parse.GetValue(noFlip),
                    Pretrained = parse.GetValue(pretrained)?.FullName,
                    NoEval = parse.GetValue(noEval),
                    Threads = Given(threads) ? parse.GetValue(threads) : null,
                    SaveEvery = parse.GetValue(saveEvery),
                    SegmentLoss = parse.GetValue(segmentLoss),
                    Data = data.Flags(parse),
                },
            };
            TrainingPlan plan;
            try { plan = invocation.Build(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var result = RunWithProgress(plan);
            PrintSummary(result);
            if (parse.GetValue(json) is { } file)
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
        });
        return command;
    }

    /// <summary>Runs a trainer under a progress display; Ctrl-C asks it to save a resume point and stop.</summary>
    static TrainingResult RunWithProgress(TrainingPlan plan)
    {
        using var ctrlC = new CtrlC();
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => plan.Run(new ConsoleTrainingObserver(ctx), ctrlC.Token));
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
