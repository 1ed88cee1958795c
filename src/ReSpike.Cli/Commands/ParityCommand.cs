using System.CommandLine;
using ReSpike.Models;
using ReSpike.Models.Video3d;
using ReSpike.Models.SpikingResformer;
using ReSpike.Training.Parity;
using Spectre.Console;
using ReSpike.IO;

namespace ReSpike.Cli.Commands;

/// <summary>
/// `respike parity`: our eval-mode logits against PyTorch's for the reference's weights and clip, or with
/// --train one whole training step (loss, every gradient, every tensor after SGD).
/// </summary>
static class ParityCommand
{
    public static Command Create()
    {
        var weights = new Option<FileInfo>("--weights") { Description = "State_dict written by respike_ref.py parity (*.weights.safetensors), or for the video ResNets torchvision's (.pth or .safetensors); with --train: the weights before the step.", Required = true }.InGroup(HelpGroup.Model);
        var io = new Option<FileInfo>("--io") { Description = "Clip and logits written by respike_ref.py parity (*.io.safetensors; with --train also labels and loss).", Required = true }.InGroup(HelpGroup.Data);
        var train = new Option<bool>("--train") { Description = "Check one training step (train-mode BatchNorm, cross-entropy, backward, SGD) instead of eval-mode logits." }.InGroup(HelpGroup.Measurement);
        var expected = new Option<FileInfo?>("--expected") { Description = "With --train: gradients and tensors after the step, written by respike_ref.py parity --train (*.train.safetensors)." }.InGroup(HelpGroup.Measurement);
        var lr = new Option<double>("--lr") { Description = "With --train: SGD learning rate (must equal the reference run's).", DefaultValueFactory = _ => 0.01 }.InGroup(HelpGroup.Optimisation);
        var momentum = new Option<double>("--momentum") { Description = "With --train: SGD momentum.", DefaultValueFactory = _ => 0.9 }.InGroup(HelpGroup.Optimisation);
        var wd = new Option<double>("--wd") { Description = "With --train: SGD weight decay.", DefaultValueFactory = _ => 1e-4 }.InGroup(HelpGroup.Optimisation);
        var model = CommonOptions.Model();
        model.Description = "respike: against ../shared/reference/respike_ref.py; r3d-18, mc3-18, r2plus1d-18: against torchvision.models.video " +
                            "(files of bench/video3d/torchvision_parity.py; --weights is the torchvision state dict, .pth or .safetensors); " +
                            "spikingresformer-*: against the official code (files of bench/spikingresformer_ref.py).";
        var backbone = CommonOptions.Backbone();
        var classes = new Option<int>("--classes") { Description = "Number of classes the reference model was built with.", Required = true }.InGroup(HelpGroup.Model);
        var stride = CommonOptions.Stride();
        var image = new Option<int?>("--image") { Description = "Image size the reference ran at; must match the clip in --io." }.DefaultText("the clip's").InGroup(HelpGroup.Model);
        var timesteps = new Option<int?>("--timesteps") { Description = "spikingresformer-*: timesteps T the official logits were computed with." }.InGroup(HelpGroup.Model);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("parity", "Check the C# network against the PyTorch reference for the same weights.")
        {
            model, weights, backbone, classes, stride, image, timesteps, io, train, expected, lr, momentum, wd, json, threads,
        }.Document(
            "Compares eval-mode logits, or with --train one whole training step (loss, every gradient, every tensor after SGD).\n" +
            "Exit code 1 when the check fails.",
            "python3 ../shared/reference/respike_ref.py parity --backbone resnet50 --classes 13 --stride 2 --image 64 --out p",
            "respike parity --weights p.weights.safetensors --io p.io.safetensors --backbone resnet50 --classes 13 --stride 2 --image 64 --json p.json",
            "python3 ../shared/reference/respike_ref.py parity --train --backbone resnet18 --classes 13 --stride 4 --image 64 --out t",
            "respike parity --train --weights t.weights.safetensors --io t.io.safetensors --expected t.train.safetensors --backbone resnet18 --classes 13 --stride 4 --image 64 --json t.json",
            "python3 bench/video3d/torchvision_parity.py --model r3d-18 --classes 7 --batch 2 --frames 8 --image 64 --out v",
            "respike parity --model r3d-18 --weights v.weights.pth --io v.io.safetensors --classes 7 --json v.json",
            "/usr/bin/python3 bench/spikingresformer_ref.py parity --official /work/srf_official --variant ti --image 64 --timesteps 2 --classes 10 --out s",
            "respike parity --model spikingresformer-ti --weights s.weights.safetensors --io s.io.safetensors --image 64 --timesteps 2 --classes 10 --json s.json");
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var config = new ReSpikeConfig
            {
                Backbone = parse.GetValue(backbone)!,
                NumClasses = parse.GetValue(classes),
                Stride = parse.GetValue(stride),
                Frames = parse.GetValue(stride), // placeholder: the parity checks take frames and image size from the clip
            };
            var weightsPath = CommonOptions.ExistingFile(parse.GetValue(weights)!, "--weights");
            var ioPath = CommonOptions.ExistingFile(parse.GetValue(io)!, "--io");
            var modelName = parse.GetValue(model)!;
            if (VideoResNetParity.Handles(modelName))
                return VideoResNet(parse, config with { Name = modelName }, weightsPath, ioPath, image, train, expected, lr, momentum, wd, json);
            if (SpikingResformerVariants.Contains(modelName))
                return SpikingResformerParityCommand.Run(modelName, weightsPath, ioPath, parse.GetValue(classes), parse.GetValue(timesteps),
                    parse.GetValue(image), parse.GetValue(train), parse.GetValue(expected), parse.GetValue(lr), parse.GetValue(momentum), parse.GetValue(wd), parse.GetValue(json));
            if (modelName != ModelVariant.ReSpike.Name())
                throw new UsageException($"--model {modelName}: parity checks respike (against respike_ref.py), {string.Join(", ", VideoResNetDesign.All.Select(d => d.Name))} (against torchvision) or spikingresformer-* (against the official code)");
            if (parse.GetValue(timesteps) is not null) throw new UsageException("--timesteps is for --model spikingresformer-*");
            if (!parse.GetValue(train))
            {
                if (parse.GetValue(expected) is not null) throw new UsageException("--expected is the training step's file; pass --train too");
                return Eval(Parity.Run(weightsPath, ioPath, config, parse.GetValue(image)), parse.GetValue(json));
            }
            var expectedFile = parse.GetValue(expected) ?? throw new UsageException("--train needs --expected (the *.train.safetensors file of respike_ref.py parity --train)");
            var report = TrainStepParity.Run(weightsPath, ioPath, CommonOptions.ExistingFile(expectedFile, "--expected"), config,
                                             parse.GetValue(lr), parse.GetValue(momentum), parse.GetValue(wd), parse.GetValue(image));
            return Train(report, parse.GetValue(json));
        });
        return command;
    }

    /// <summary>--model r3d-18 | mc3-18 | r2plus1d-18: against torchvision.models.video (Models/Video3d, Training/Parity/VideoResNetTrainStepParity).</summary>
    static int VideoResNet(ParseResult parse, ReSpikeConfig config, string weightsPath, string ioPath, Option<int?> image, Option<bool> train,
                           Option<FileInfo?> expected, Option<double> lr, Option<double> momentum, Option<double> wd, Option<FileInfo?> json)
    {
        if (!parse.GetValue(train))
        {
            if (parse.GetValue(expected) is not null) throw new UsageException("--expected is the training step's file; pass --train too");
            return Eval(VideoResNetParity.Run(weightsPath, ioPath, config, parse.GetValue(image)), parse.GetValue(json));
        }
        var expectedFile = parse.GetValue(expected) ?? throw new UsageException("--train needs --expected (the *.train.safetensors file of bench/video3d/torchvision_parity.py --train)");
        return Train(VideoResNetTrainStepParity.Run(weightsPath, ioPath, CommonOptions.ExistingFile(expectedFile, "--expected"), config,
                                                    parse.GetValue(lr), parse.GetValue(momentum), parse.GetValue(wd), parse.GetValue(image)), parse.GetValue(json));
    }

    internal static int Eval(ParityReport report, FileInfo? json)
    {
        var table = new Table().AddColumns("check", "value");
        table.AddRow("logits", Markup.Escape(ShapeText.Format(report.LogitsShape)));
        table.AddRow("tensors loaded", report.TensorsLoaded.ToString());
        table.AddRow("max_abs_err", report.MaxAbsErr.ToString("E3"));
        table.AddRow("rel_err", report.RelErr.ToString("E3"));
        AnsiConsole.Write(table);
        if (json is not null) JsonReport.Write(json.FullName, report);
        bool ok = report.Ok;
        AnsiConsole.MarkupLine(ok ? "[green]parity OK[/] (rel_err <= 1e-4)" : "[red]parity FAILED[/] (rel_err > 1e-4)");
        return ok ? CliRunner.Ok : CliRunner.Failure;
    }

    /// <summary>Rows printed per kind: the tensors furthest from their tolerance (the JSON has all of them).</summary>
    const int WorstRows = 5;

    internal static int Train(TrainStepParityReport report, FileInfo? json)
    {
        var summary = new Table().AddColumns("check", "value", "tolerance");
        summary.AddRow("loss (ours / reference)", $"{report.Loss:G9} / {report.ReferenceLoss:G9}", "");
        summary.AddRow("loss_rel_err", report.LossRelErr.ToString("E3"), TrainStepParityReport.LossTolerance.ToString("E0"));
        summary.AddRow("logits_rel_err (not a criterion)", report.LogitsRelErr.ToString("E3"), "");
        summary.AddRow("threshold ties decided as the reference", report.ThresholdTies.Count.ToString(), $"|h - v_th| <= {ThresholdTieBreaker.Window:E0}");
        summary.AddRow($"max_grad_rel_err ({report.Gradients.Count} gradients)", report.MaxGradRelErr.ToString("E3"), TensorComparison.RelativeTolerance.ToString("E0"));
        summary.AddRow($"max_after_rel_err ({report.After.Count} tensors after SGD)", report.MaxAfterRelErr.ToString("E3"), TensorComparison.RelativeTolerance.ToString("E0"));
        AnsiConsole.Write(summary);

        var worst = new Table().AddColumns("kind", "tensor", "error", "ok");
        foreach (var (kind, list) in new[] { ("grad", report.Gradients), ("after", report.After) })
            foreach (var c in list.OrderByDescending(c => c.Error / (c.Absolute ? TensorComparison.AbsoluteTolerance : TensorComparison.RelativeTolerance)).Take(WorstRows))
                worst.AddRow(kind, Markup.Escape(c.Name), (c.Absolute ? "abs " : "rel ") + c.Error.ToString("E3"), c.Ok ? "yes" : "[red]NO[/]");
        AnsiConsole.Write(worst);
        foreach (var tie in report.ThresholdTies)
            AnsiConsole.MarkupLine(Markup.Escape($"tie: {tie.Layer} site {tie.Index}: our h - v_th = {tie.Margin:E2}, forced to {(tie.Spike ? "fire" : "stay silent")} as the reference's logits require"));
        if (json is not null) JsonReport.Write(json.FullName, report);
        AnsiConsole.MarkupLine(report.Ok
            ? "[green]train parity OK[/] (loss <= 1e-5, every gradient and updated tensor <= 1e-4 relative L2)"
            : $"[red]train parity FAILED[/] (worst gradient {Markup.Escape(report.Worst.Grad)}, worst after-step tensor {Markup.Escape(report.Worst.After)})");
        return report.Ok ? CliRunner.Ok : CliRunner.Failure;
    }
}
