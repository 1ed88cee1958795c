using System.CommandLine;
using ReSpike.Runtime;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike env`: versions, threads and ffmpeg; also proves TorchSharp's native library loads.</summary>
static class EnvCommand
{
    public static Command Create()
    {
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file." }.InGroup(HelpGroup.Output);
        var command = new Command("env", "Print versions (ReSpike, TorchSharp, libtorch), threads and the ffmpeg in use.") { json }
            .Document("Also proves that TorchSharp's native library loads.", "respike env --json env.json");
        command.SetAction(parse =>
        {
            var report = EnvironmentReport.Collect();
            var table = new Table().AddColumns("item", "value").HideHeaders();
            table.AddRow("ReSpike.NET", report.ReSpikeVersion);
            table.AddRow("TorchSharp", report.TorchSharpVersion);
            table.AddRow("libtorch", report.LibTorchVersion);
            table.AddRow(".NET", report.DotNetVersion);
            table.AddRow("OS", Markup.Escape(report.OperatingSystem));
            table.AddRow("CPU cores", report.ProcessorCount.ToString());
            table.AddRow("torch threads", $"{report.TorchThreads} (interop {report.TorchInteropThreads})");
            table.AddRow("ffmpeg", report.FfmpegPath is null
                ? $"[red]not found[/] ({Markup.Escape(EnvironmentReport.FfmpegInstallHint)})"
                : Markup.Escape($"{report.FfmpegPath}: {report.FfmpegVersion}"));
            AnsiConsole.Write(table);
            if (parse.GetValue(json) is { } file) JsonReport.Write(file.FullName, report);
            return CliRunner.Ok;
        });
        return command;
    }
}
