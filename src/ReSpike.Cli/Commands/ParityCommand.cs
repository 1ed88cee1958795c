using System.CommandLine;
using ReSpike.Models;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike parity`: our eval-mode logits against PyTorch's for the reference's weights and clip.</summary>
static class ParityCommand
{
    public static Command Create()
    {
        var weights = new Option<FileInfo>("--weights") { Description = "State_dict written by respike_ref.py parity (*.weights.safetensors).", Required = true };
        var io = new Option<FileInfo>("--io") { Description = "Clip and logits written by respike_ref.py parity (*.io.safetensors).", Required = true };
        var backbone = CommonOptions.Backbone();
        var classes = new Option<int>("--classes") { Description = "Number of classes the reference model was built with.", Required = true };
        var stride = CommonOptions.Stride();
        var image = new Option<int?>("--image") { Description = "Image size the reference ran at; must match the clip in --io." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("parity",
            "Check the C# network against logits computed by the PyTorch reference for the same weights.\n" +
            "Example:\n  python3 ../shared/reference/respike_ref.py parity --backbone resnet50 --classes 13 --stride 2 --image 64 --out p\n" +
            "  respike parity --weights p.weights.safetensors --io p.io.safetensors --backbone resnet50 --classes 13 --stride 2 --image 64 --json p.json")
        {
            weights, io, backbone, classes, stride, image, threads, json,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var config = new ReSpikeConfig
            {
                Backbone = parse.GetValue(backbone)!,
                NumClasses = parse.GetValue(classes),
                Stride = parse.GetValue(stride),
                Frames = parse.GetValue(stride), // placeholder: Parity.Run takes frames and image size from the clip
            };
            var report = Parity.Run(CommonOptions.ExistingFile(parse.GetValue(weights)!, "--weights"),
                                    CommonOptions.ExistingFile(parse.GetValue(io)!, "--io"), config, parse.GetValue(image));
            var table = new Table().AddColumns("check", "value");
            table.AddRow("logits", Markup.Escape($"[{string.Join(", ", report.LogitsShape)}]"));
            table.AddRow("tensors loaded", report.TensorsLoaded.ToString());
            table.AddRow("max_abs_err", report.MaxAbsErr.ToString("E3"));
            table.AddRow("rel_err", report.RelErr.ToString("E3"));
            AnsiConsole.Write(table);
            if (parse.GetValue(json) is { } file) JsonReport.Write(file.FullName, report);
            bool ok = report.RelErr <= 1e-4;
            AnsiConsole.MarkupLine(ok ? "[green]parity OK[/] (rel_err <= 1e-4)" : "[red]parity FAILED[/] (rel_err > 1e-4)");
            return ok ? CliRunner.Ok : CliRunner.Failure;
        });
        return command;
    }
}
