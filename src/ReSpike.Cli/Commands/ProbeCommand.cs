using System.CommandLine;
using ReSpike.Data;
using ReSpike.Video;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike probe`: decode-check video files (frame counts are what decodes, not the header's).</summary>
static class ProbeCommand
{
    public static Command Create()
    {
        var videos = new Argument<string[]>("VIDEO") { Description = "Video files, frames folders, or folders to search for videos.", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed per file before it is reported as failed.", DefaultValueFactory = _ => 120, HelpName = "SECONDS" }.InGroup(HelpGroup.Run);
        var json = CommonOptions.Json();
        var command = new Command("probe", "Decode-check video files: header facts and the frames that actually decode.")
        {
            videos, json, timeout,
        }.Document("Exit code 1 when any file fails.",
            "respike probe a.avi b.mp4 --json probe.json",
            "respike probe ../shared/data/action_clips");
        command.SetAction(parse =>
        {
            double seconds = parse.GetValue(timeout);
            if (!(seconds > 0)) throw new UsageException($"--timeout must be > 0, got {seconds}");
            var files = VideoFiles.Expand(parse.GetValue(videos)!);
            if (files.Count == 0) throw new UsageException("VIDEO: no video files found in the given paths");
            Ffmpeg.EnsureAvailable(); // one "install ffmpeg" message instead of one per file
            var results = AnsiConsole.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask("probing", maxValue: files.Count);
                return ProbeResult.CheckAll(files, TimeSpan.FromSeconds(seconds), (done, _) => task.Value = done);
            });
            var table = new Table().AddColumns("file", "ok", "frames", "header", "size", "fps", "codec", "error");
            foreach (var r in results)
                table.AddRow(Markup.Escape(Path.GetFileName(r.File.TrimEnd(Path.DirectorySeparatorChar))), r.Ok ? "[green]yes[/]" : "[red]no[/]", r.Frames.ToString(),
                    r.HeaderFrames?.ToString() ?? "-", $"{r.Width}x{r.Height}", r.Fps.ToString("0.###"), Markup.Escape(r.Codec ?? "-"),
                    Markup.Escape(r.Error ?? ""));
            AnsiConsole.Write(table);
            int failed = results.Count(r => !r.Ok);
            AnsiConsole.MarkupLine($"{results.Length} file(s), {results.Length - failed} ok, {failed} failed");
            if (parse.GetValue(json) is { } file)
                JsonReport.Write(file.FullName, results.Select(r => new { r.File, r.Ok, r.Frames, r.Width, r.Height, r.Fps, r.Error, r.Codec, r.HeaderFrames }).ToList());
            return failed == 0 ? CliRunner.Ok : CliRunner.Failure;
        });
        return command;
    }
}
