using System.CommandLine;
using ReSpike.Training;
using ReSpike.Video;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike predict`: top-k labels with probabilities for video files.</summary>
static class PredictCommand
{
    public static Command Create()
    {
        var videos = new Argument<string[]>("VIDEO") { Description = "Video files to classify.", Arity = ArgumentArity.OneOrMore };
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint written by train (best.safetensors).", Required = true }.InGroup(HelpGroup.Model);
        var top = new Option<int>("--top") { Description = "How many labels to show per video.", DefaultValueFactory = _ => 5 }.InGroup(HelpGroup.Output);
        var clips = new Option<int>("--clips") { Description = "Uniformly spaced clips per video whose probabilities are averaged.", DefaultValueFactory = _ => 5 }.InGroup(HelpGroup.Data);
        var exitThreshold = CommonOptions.ExitThreshold();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var mpiTimeout = CommonOptions.MpiTimeout();
        var command = new Command("predict", "Classify video files with a trained checkpoint.")
        {
            videos, checkpoint, clips, top, exitThreshold, json, threads, mpiTimeout,
        }.Document("Prints the top labels with probabilities per video; exit code 1 when a video fails to decode. Under mpiexec the ranks share the files; rank 0 prints.",
            "respike predict --checkpoint runs/weizmann/best.safetensors --top 3 clip.avi other.mp4 --json pred.json",
            "respike predict --checkpoint runs/weizmann/best.safetensors --exit-threshold 0.9 clip.avi",
            "mpiexec -n 4 respike predict --checkpoint runs/weizmann/best.safetensors --threads 1 videos/*.avi --json pred.json");
        command.SetAction(parse => CommonOptions.InGroup(parse.GetValue(mpiTimeout), group =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            int k = parse.GetValue(top);
            if (k < 1) throw new UsageException($"--top must be >= 1, got {k}");
            if (parse.GetValue(clips) < 1) throw new UsageException($"--clips must be >= 1, got {parse.GetValue(clips)}");
            var exit = CommonOptions.SegmentExit(parse.GetValue(exitThreshold));
            Predictor predictor;
            try { predictor = new Predictor(CommonOptions.ExistingFile(parse.GetValue(checkpoint)!, "--checkpoint"), parse.GetValue(clips), exit); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            using var _ = predictor;
            var predictions = predictor.PredictFiles(parse.GetValue(videos)!, k, group);
            if (!group.IsRoot) return predictions.Any(p => p.Error is not null) ? CliRunner.Failure : CliRunner.Ok;
            var results = new List<object>();
            int failed = 0;
            foreach (var p in predictions)
            {
                if (p.Error is null)
                {
                    var used = p.MeanSegments is { } m ? $" (early exit: {m:0.##} of {predictor.Config.Segments} segments per clip)" : "";
                    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(p.File)}[/]{Markup.Escape(used)}");
                    foreach (var l in p.Labels) AnsiConsole.MarkupLine($"  {l.Prob,7:P1}  {Markup.Escape(l.Label)}");
                    results.Add(new { file = p.File, labels = p.Labels, mean_segments = p.MeanSegments });
                }
                else
                {
                    failed++;
                    Console.Error.WriteLine($"error: {p.File}: {p.Error}");
                    results.Add(new { file = p.File, labels = p.Labels, error = p.Error });
                }
            }
            if (parse.GetValue(json) is { } output) JsonReport.Write(output.FullName, results);
            return failed == 0 ? CliRunner.Ok : CliRunner.Failure;
        }));
        return command;
    }
}
