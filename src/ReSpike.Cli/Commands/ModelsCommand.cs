using System.CommandLine;
using ReSpike.Models;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike models`: the registered models with their parameter counts at the default settings.</summary>
static class ModelsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("models", "List the registered models (the --model choices) with their parameter counts.") { json }.Document(
            "For each model: family, inputs, parameters at the default settings, energy convention.",
            "respike models --json models.json");
        command.SetAction(parse =>
        {
            var settings = new ReSpikeConfig();
            var rows = ModelSummary.All(settings);
            var table = new Table().AddColumns("model", "family", "inputs", "parameters", "energy convention");
            table.Columns[3].RightAligned();
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Name), r.Family, Markup.Escape(r.Inputs), r.Parameters.ToString("N0"), Markup.Escape(r.EnergyConvention));
            AnsiConsole.Write(table);
            var defaults = new { backbone = settings.Backbone, classes = settings.NumClasses, frames = settings.Frames, stride = settings.Stride, image = settings.ImageSize, fusion = settings.Fusion.Name() };
            AnsiConsole.MarkupLine(Markup.Escape($"parameters at the defaults: {defaults.classes} classes, backbone {defaults.backbone}, {defaults.frames} frames, stride {defaults.stride}, {defaults.image} px, fusion {defaults.fusion}"));
            if (parse.GetValue(json) is { } file)
                JsonReport.Write(file.FullName, new { defaults, models = rows });
            return CliRunner.Ok;
        });
        return command;
    }
}
