using System.CommandLine;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Training;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike train`: flags override an optional JSON config; the effective config is saved as config.json in --out.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config (fields as in a run's config.json); flags given on the command line override it." };
        var model = CommonOptions.Model();
        var backbone = CommonOptions.Backbone();
        var stride = new Option<int?>("--stride") { Description = "Key-frame stride s (default 4)." };
        var frames = new Option<int?>("--frames") { Description = "Frames per clip T, a multiple of the stride (default 16)." };
        var image = new Option<int?>("--image") { Description = "Crop size in pixels (default 112)." };
        var fusion = new Option<string?>("--fusion") { Description = CommonOptions.FusionDescription + " Default pooled." }.AcceptOnlyFromAmong([.. ModelNames.FusionNames]);
        var batch = new Option<int?>("--batch") { Description = "Clips per batch (default 8)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default 10)." };
        var lr = new Option<double?>("--lr") { Description = "Base learning rate (default 0.01; the reference's README uses 1e-4 with ImageNet weights)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd (reference: momentum 0.9, weight decay 1e-4) or adamw." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay (default 1e-4)." };
        var warmup = new Option<int?>("--warmup") { Description = "Linear warm-up epochs before the cosine schedule (default 0)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for init, data order and augmentation (default 1001, as the reference)." };
        var sampling = CommonOptions.Sampling("Clips for training and evaluation: clips (all consecutive; the reference's UCF-101/HMDB-51), segments (one TSN clip per video, random offsets; the reference's Kinetics-400), segments:centre, uniform:N.");
        var trainCrop = CommonOptions.TrainCrop();
        var testCrop = CommonOptions.TestCrop("centre");
        var minCropScale = new Option<double?>("--min-crop-scale") { Description = "Smallest crop area fraction for RandomResizedCrop (default 0.08, the reference's)." };
        var noFlip = new Option<bool>("--no-flip") { Description = "No random horizontal flip (for classes that differ by left/right direction)." };
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "Torchvision ImageNet weights (safetensors) for the ANN branch." };
        var noEval = new Option<bool>("--no-eval") { Description = "Skip the per-epoch evaluation on the test subset." };
        var out_ = new Option<DirectoryInfo>("--out") { Description = "Run folder (config.json, metrics.jsonl, last/best.safetensors, tensorboard/, PNG curves).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from last.safetensors, exactly where it stopped." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train",
            "Train a model on a dataset; evaluates after every epoch. Ctrl-C saves a resume point.\nExamples:\n" +
            "  respike train --dataset synthetic --epochs 3 --out runs/syn\n" +
            "  respike train --dataset ucf101 --root ../shared/data/weizmann4 --split 1 --image 64 --frames 16 --epochs 12 --out runs/weizmann\n" +
            "  respike train --out runs/weizmann --resume");
        data.AddTo(command);
        foreach (var o in new Option[] { config, model, backbone, stride, frames, image, fusion, batch, epochs, lr, optimizer, weightDecay, warmup, seed, sampling, trainCrop, testCrop, minCropScale, noFlip, pretrained, noEval, out_, resume, threads, json })
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
                    Variant = Given(model) ? ModelNames.ParseVariant(parse.GetValue(model)!) : null,
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
            };
            var configFile = parse.GetValue(config) is { } cfg ? CommonOptions.ExistingFile(cfg, "--config") : null;
            var options = TrainingInvocation.Resolve(configFile, isResume, files, flags,
                fromFile => fromFile is null ? data.Read(parse) : data.Apply(parse, fromFile));
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var result = RunWithProgress(options, outDir, isResume);
            PrintSummary(result);
            if (parse.GetValue(json) is { } file)
                JsonReport.Write(file.FullName, new
                {
                    out_dir = result.Files.Directory, result.Interrupted, epochs = result.Epochs, best_epoch = result.BestEpoch,
                    video_top1 = result.LastEvaluation?.VideoTop1, clip_top1 = result.LastEvaluation?.ClipTop1,
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
            foreach (var s in r.Skipped.Take(10)) AnsiConsole.MarkupLine("  " + Markup.Escape($"{s.Path}: {s.Reason}"));
        }
        if (r.LastEvaluation is { } e)
            AnsiConsole.MarkupLine(Markup.Escape($"final: clip top-1 {e.ClipTop1:P1}, video top-1 {e.VideoTop1:P1}, top-5 {e.VideoTop5:P1}, mean class {e.MeanClassAcc:P1} ({e.Videos} videos, {e.Clips} clips)"));
        AnsiConsole.MarkupLine(Markup.Escape($"run folder: {r.Files.Directory} (best epoch {r.BestEpoch}; {r.Seconds:0} s)"));
    }
}
