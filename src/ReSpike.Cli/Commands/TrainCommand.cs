using System.CommandLine;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Training;
using ReSpike.Training.Optimizers;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike train`: flags override an optional JSON config; the effective config is saved as config.json in --out.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config (fields as in a run's config.json; the paper's recipes are in configs/); flags given on the command line override it." };
        var model = CommonOptions.Model();
        var backbone = CommonOptions.Backbone();
        var stride = new Option<int?>("--stride") { Description = "Key-frame stride s (default 4)." };
        var frames = new Option<int?>("--frames") { Description = "Frames per clip T, a multiple of the stride (default 16)." };
        var image = new Option<int?>("--image") { Description = "Crop size in pixels (default 112)." };
        var fusion = new Option<string?>("--fusion") { Description = CommonOptions.FusionDescription + " Default pooled." }.AcceptOnlyFromAmong([.. ModelNames.FusionNames]);
        var batch = new Option<int?>("--batch") { Description = "Clips per batch (default 8; the reference's runs use 32 on HMDB/UCF, 16 on K400)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default 10; the reference trains 100)." };
        var lr = new Option<double?>("--lr") { Description = "Base learning rate (default 0.01; the reference's README uses 1e-4 with ImageNet weights)." };
        var optimizer = CommonOptions.OneOf("--optimizer", OptimizerRegistry.Optimizers, "Optimizer", "sgd");
        var schedule = CommonOptions.OneOf("--schedule", ScheduleRegistry.Schedules, "Learning-rate schedule", "cosine");
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay (default 1e-4)." };
        var warmup = new Option<int?>("--warmup") { Description = "Linear warm-up epochs before the cosine schedule (default 0)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for init, data order and augmentation (default 1001, as the reference)." };
        var sampling = CommonOptions.Sampling("Clips for training and evaluation: clips (all consecutive; the reference's UCF-101/HMDB-51), segments (one TSN clip per video, random offsets; the reference's Kinetics-400), segments:centre, uniform:N.");
        var trainCrop = CommonOptions.TrainCrop();
        var testCrop = CommonOptions.TestCrop("centre");
        var minCropScale = new Option<double?>("--min-crop-scale") { Description = "Smallest crop area fraction for RandomResizedCrop (default 0.08, the reference's)." };
        var noFlip = new Option<bool>("--no-flip") { Description = "No random horizontal flip (for classes that differ by left/right direction)." };
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "Torchvision ImageNet weights (safetensors, see README) for the ANN branch, as the paper; without them the ANN starts from scratch (a warning says so)." };
        var noEval = new Option<bool>("--no-eval") { Description = "Skip the per-epoch evaluation on the test subset." };
        var out_ = new Option<DirectoryInfo>("--out") { Description = "Run folder (config.json, metrics.jsonl, last/best.safetensors, tensorboard/, PNG curves).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from last.safetensors, exactly where it stopped." };
        var saveEvery = new Option<int?>("--save-every") { Description = "Also save last.safetensors every N steps and before each evaluation, so a hard kill (kill -9) loses at most N steps (default 0: at the end of each epoch)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train",
            "Train a model on a dataset; evaluates after every epoch. Ctrl-C saves a resume point.\nExamples:\n" +
            "  respike train --dataset synthetic --epochs 3 --out runs/syn\n" +
            "  respike train --dataset ucf101 --root ../shared/data/weizmann4 --split 1 --image 64 --frames 16 --epochs 12 --out runs/weizmann\n" +
            "  respike train --out runs/weizmann --resume");
        data.AddTo(command);
        foreach (var o in new Option[] { config, model, backbone, stride, frames, image, fusion, batch, epochs, lr, optimizer, schedule, weightDecay, warmup, seed, sampling, trainCrop, testCrop, minCropScale, noFlip, pretrained, noEval, out_, resume, saveEvery, threads, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var outDir = parse.GetValue(out_)!.FullName;
            var files = new RunFiles(outDir);
            bool isResume = parse.GetValue(resume);
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            var flags = new TrainingFlags
            {
                Model = new ConfigOverrides
                {
                    Name = Given(model) ? parse.GetValue(model)! : null,
                    Backbone = Given(backbone) ? parse.GetValue(backbone)! : null,
                    Stride = parse.GetValue(stride),
                    Frames = parse.GetValue(frames),
                    ImageSize = parse.GetValue(image),
                    Fusion = parse.GetValue(fusion) is { } f ? ModelNames.ParseFusion(f) : null,
                },
                BatchSize = parse.GetValue(batch),
                Epochs = parse.GetValue(epochs),
                LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer),
                Schedule = parse.GetValue(schedule),
                WeightDecay = parse.GetValue(weightDecay),
                WarmupEpochs = parse.GetValue(warmup),
                Seed = parse.GetValue(seed),
                Sampling = parse.GetValue(sampling),
                TrainCrop = parse.GetValue(trainCrop) is { } tc ? TrainCrops.Parse(tc) : null,
                TestCrop = parse.GetValue(testCrop) is { } ec ? TestCrops.Parse(ec) : null,
                MinCropScale = parse.GetValue(minCropScale),
                NoFlip = parse.GetValue(noFlip),
                Pretrained = parse.GetValue(pretrained) is { } p ? CommonOptions.ExistingFile(p, "--pretrained") : null,
                NoEval = parse.GetValue(noEval),
                Threads = Given(threads) ? parse.GetValue(threads) : null,
                SaveEvery = parse.GetValue(saveEvery),
            };
            var configFile = parse.GetValue(config) is { } cfg ? CommonOptions.ExistingFile(cfg, "--config") : null;
            TrainingOptions options;
            try
            {
                options = TrainingInvocation.Resolve(configFile, isResume, files, flags,
                    fromFile => fromFile is null ? data.Read(parse) : data.Apply(parse, fromFile));
                options.Validate();
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var result = RunWithProgress(options, outDir, isResume);
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
    static TrainingResult RunWithProgress(TrainingOptions options, string outDir, bool resume)
    {
        using var ctrlC = new CtrlC();
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => new Trainer(options, outDir, new ConsoleTrainingObserver(ctx)).Run(resume, ctrlC.Token));
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
