using System.CommandLine;
using ReSpike.Models;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike init`: build a model, optionally import torchvision ImageNet weights, save a checkpoint.</summary>
static class InitCommand
{
    public static Command Create()
    {
        var arch = new ArchitectureOptions(image: 112, classes: null, "Number of action classes.");
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "torchvision ImageNet weights as safetensors (see README) for the ANN branch; for r3d-18, mc3-18, r2plus1d-18 torchvision's Kinetics-400 video weights (.pth or .safetensors); for spikingresformer-* an official checkpoint (.pth or safetensors)." }.InGroup(HelpGroup.Model);
        var seed = new Option<int>("--seed") { Description = "Seed for the random initialisation.", DefaultValueFactory = _ => 1001 }.InGroup(HelpGroup.Run);
        var output = new Option<FileInfo>("--out") { Description = "Checkpoint file to write.", Required = true }.InGroup(HelpGroup.Output);
        var command = new Command("init", "Write a model checkpoint, optionally with ImageNet weights in the ANN branch.")
        {
            pretrained, output, seed,
        }.Document("The ANN branch can start from torchvision ImageNet weights (--pretrained); the rest is randomly initialised (--seed).", "respike init --backbone resnet50 --classes 51 --pretrained resnet50.safetensors --out init.safetensors");
        arch.AddTo(command);
        command.SetAction(parse =>
        {
            var config = arch.Read(parse);
            TorchSharp.torch.manual_seed(parse.GetValue(seed));
            using var net = ModelRegistry.Create(config);
            if (parse.GetValue(pretrained) is { } weights)
            {
                AnsiConsole.MarkupLine(Markup.Escape(PretrainedWeights.Load(net, CommonOptions.ExistingFile(weights, "--pretrained"))));
            }
            var path = parse.GetValue(output)!.FullName;
            Checkpoint.Save(net, path);
            long parameters = net.parameters().Sum(p => p.numel());
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}: {config.Name} / {config.Backbone}, {parameters:N0} parameters");
            return CliRunner.Ok;
        });
        return command;
    }
}
