using System.CommandLine;
using ReSpike.Models;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike init`: build a model, optionally import torchvision ImageNet weights, save a checkpoint.</summary>
static class InitCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var backbone = CommonOptions.Backbone();
        var classes = new Option<int>("--classes") { Description = "Number of action classes.", Required = true };
        var stride = CommonOptions.Stride();
        var frames = new Option<int>("--frames") { Description = "Frames per clip T (a multiple of --stride).", DefaultValueFactory = _ => 16 };
        var image = new Option<int>("--image") { Description = "Input size in pixels (a multiple of 16).", DefaultValueFactory = _ => 112 };
        var fusion = new Option<string>("--fusion") { Description = "pooled (reference) or full (all four stages at full resolution).", DefaultValueFactory = _ => "pooled" }
            .AcceptOnlyFromAmong("pooled", "full");
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "torchvision ImageNet weights as safetensors (see README) for the ANN branch." };
        var seed = new Option<int>("--seed") { Description = "Seed for the random initialisation.", DefaultValueFactory = _ => 1001 };
        var output = new Option<FileInfo>("--out") { Description = "Checkpoint file to write.", Required = true };
        var command = new Command("init",
            "Create a model checkpoint, optionally starting the ANN branch from torchvision ImageNet weights.\n" +
            "Example: respike init --backbone resnet50 --classes 51 --pretrained resnet50.safetensors --out init.safetensors")
        {
            model, backbone, classes, stride, frames, image, fusion, pretrained, seed, output,
        };
        command.SetAction(parse =>
        {
            var config = new ReSpikeConfig
            {
                Variant = ModelNames.ParseVariant(parse.GetValue(model)!),
                Backbone = parse.GetValue(backbone)!,
                NumClasses = parse.GetValue(classes),
                Stride = parse.GetValue(stride),
                Frames = parse.GetValue(frames),
                ImageSize = parse.GetValue(image),
                Fusion = ModelNames.ParseFusion(parse.GetValue(fusion)!),
            };
            try { config.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            TorchSharp.torch.manual_seed(parse.GetValue(seed));
            using var net = new ReSpikeNet(config);
            if (parse.GetValue(pretrained) is { } weights)
            {
                var report = PretrainedWeights.LoadTorchvision(net, CommonOptions.ExistingFile(weights, "--pretrained"));
                AnsiConsole.MarkupLine($"imported {report.Loaded} ImageNet tensors into the ANN ({report.Skipped.Count} ignored: {Markup.Escape(string.Join(", ", report.Skipped))})");
            }
            var path = parse.GetValue(output)!.FullName;
            Checkpoint.Save(net, path);
            long parameters = net.parameters().Sum(p => p.numel());
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}: {config.Variant.Name()} / {config.Backbone}, {parameters:N0} parameters");
            return CliRunner.Ok;
        });
        return command;
    }
}
