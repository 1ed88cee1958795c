using System.CommandLine;
using ReSpike.Interpretability;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike attention`: the paper's Fig. 4, attention maps of a cross-attention layer for one clip of a video.</summary>
static class AttentionCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A respike checkpoint written by train (best.safetensors).", Required = true }.InGroup(HelpGroup.Model);
        var layer = new Option<int?>("--layer") { Description = "Cross-attention layer 1-4 (layer L fuses after ResNet block L).", HelpName = "1-4" }.DefaultText("4, the last").InGroup(HelpGroup.Model);
        var video = new Option<FileInfo>("--video") { Description = "The video; one clip of it (the checkpoint's frames, its run's test crop) is shown.", Required = true }.InGroup(HelpGroup.Data);
        var start = new Option<int?>("--start") { Description = "First video frame of the clip.", HelpName = "FRAME" }.DefaultText("the centre clip").InGroup(HelpGroup.Data);
        var query = new Option<string?>("--query") { Description = "Query token as column,row on the layer's token grid (0-based).", HelpName = "X,Y" }.DefaultText("per key frame, the token with the largest residual motion").InGroup(HelpGroup.Measurement);
        var top = new Option<int>("--top") { Description = "Most-attended ANN tokens to outline and list.", DefaultValueFactory = _ => 5 }.InGroup(HelpGroup.Measurement);
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for one PNG per key frame (keyframe_FRAME.png).", Required = true }.InGroup(HelpGroup.Output);
        var json = CommonOptions.Json();
        json.Description = "Also write the raw weights (per key frame, SNN timestep and head) and the chosen tokens to this file.";
        var threads = CommonOptions.Threads();
        var command = new Command("attention", "Attention maps of a ReSpike cross-attention layer (the paper's Fig. 4).")
        {
            checkpoint, layer, video, start, query, top, output, json, threads,
        }.Document("For each key frame of one clip: the key frame, the residual energy of its group and the head-averaged attention "
                   + "of one SNN query token over the key frame's ANN tokens, its top tokens outlined. The query is the token whose "
                   + "patch moves most in the group's residual frames unless --query names one.",
            "respike attention --checkpoint runs/weizmann/best.safetensors --video wave1.avi --out attention --json attention/weights.json",
            "respike attention --checkpoint runs/weizmann/best.safetensors --video wave1.avi --layer 3 --query 1,2 --out attention-l3");
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            TokenCell? cell = null;
            if (parse.GetValue(query) is { } text)
            {
                try { cell = TokenCell.Parse(text); }
                catch (FormatException e) { throw new UsageException(e.Message); }
            }
            AttentionMapOptions options;
            try { options = new AttentionMapOptions { Layer = parse.GetValue(layer), Query = cell, Top = parse.GetValue(top), Start = parse.GetValue(start) }.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var report = AttentionMaps.ForVideo(CommonOptions.ExistingFile(parse.GetValue(checkpoint)!, "--checkpoint"),
                                                CommonOptions.ExistingFile(parse.GetValue(video)!, "--video"), options);
            report = AttentionMaps.WriteFigures(report, parse.GetValue(output)!.FullName);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Video!)}[/]");
            AnsiConsole.MarkupLine($"  frames {report.ClipFrames[0]}-{report.ClipFrames[^1]}, predicted {Markup.Escape(report.PredictedLabel ?? "")} ({report.Probability:P1})");
            AnsiConsole.MarkupLine($"  layer {report.Layer}, {report.GridWidth}x{report.GridHeight} tokens of {report.PatchSize} px, {report.Heads} heads x {report.Timesteps} steps");
            for (int i = 0; i < report.KeyFrames.Count; i++)
            {
                var key = report.KeyFrames[i];
                AnsiConsole.MarkupLine($"  key frame {key.VideoFrame}: query {key.Query} ({key.QueryRule}) -> {Markup.Escape(Path.GetFileName(report.Figures[i]))}");
                AnsiConsole.MarkupLine($"    top: {string.Join("  ", key.Top.Select(t => $"{t.X},{t.Y} {t.Weight:0.000}"))}");
            }
            AnsiConsole.MarkupLine($"wrote {report.Figures.Count} PNGs to {Markup.Escape(parse.GetValue(output)!.FullName)}");
            if (parse.GetValue(json) is { } file) JsonReport.Write(file.FullName, report);
            return CliRunner.Ok;
        });
        return command;
    }
}
