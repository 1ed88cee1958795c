using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ReSpike.Streaming;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike stream`: live recognition from a file, URL, camera or stdin, one line (and JSON line) per segment.</summary>
static class StreamCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "ReSpike checkpoint (best.safetensors of a run; its config.json gives the test transform and frame rate).", Required = true }.InGroup(HelpGroup.Model);
        var input = new Option<string>("--input")
        {
            Description = "A video file, a URL (rtsp://, rtmp://, http(s)://, udp://, tcp://, srt://), a V4L2 device (/dev/video0), or - for raw RGB24 frames on stdin (see --input-size).",
            HelpName = "SRC",
            Required = true,
        }.InGroup(HelpGroup.Data);
        var realtime = new Option<bool>("--realtime") { Description = "Play a file at its own speed, as a camera delivers frames (then frames are dropped, and counted, if the model falls behind)." }.InGroup(HelpGroup.Data);
        var fps = new Option<double?>("--fps") { Description = "Resample the source to this frame rate." }.DefaultText("the checkpoint's training rate, else the source's").InGroup(HelpGroup.Data);
        var inputSize = new Option<string?>("--input-size") { Description = "With --input -: size of the raw RGB24 frames.", HelpName = "WxH" }.DefaultText("the model's image size, square").InGroup(HelpGroup.Data);
        var inputFps = new Option<double>("--input-fps") { Description = "With --input -: frame rate of the raw frames.", DefaultValueFactory = _ => 25 }.InGroup(HelpGroup.Data);
        var top = new Option<int>("--top") { Description = "Labels shown per segment.", DefaultValueFactory = _ => 3 }.InGroup(HelpGroup.Output);
        var jsonLines = new Option<FileInfo?>("--json") { Description = "Write one JSON line per segment (t_seconds, segment, top [{label, prob}], latency_ms, energy_mj, dropped_frames, ...), flushed as it goes." }.InGroup(HelpGroup.Output);
        var summaryJson = new Option<FileInfo?>("--summary") { Description = "Write the stream's summary (frames, dropped, latency percentiles, throughput, real-time factor) as JSON at the end." }.InGroup(HelpGroup.Output);
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary, not a line per segment." }.InGroup(HelpGroup.Output);
        var exitThreshold = CommonOptions.ExitThreshold();
        var noEnergy = new Option<bool>("--no-energy") { Description = "Do not count each segment's operations (saves the counting hooks' time; energy_mj is then null)." }.InGroup(HelpGroup.Measurement);
        var threads = CommonOptions.Threads();
        var command = new Command("stream", "Recognise actions live in a video stream, with latency and energy per segment.").Document(
            "Frames are decoded by ffmpeg at the model's size and rate. Every s frames (a key frame and its s-1 residuals) one segment runs, once; " +
            "the prediction is over the last T frames (the mean of the last K segments' cached logits). A file is read as fast as possible unless --realtime; " +
            "a live source that outpaces the model has frames dropped, reported per line and in the summary. With --exit-threshold the stream is cut into clips " +
            "of K segments and a confident clip skips its remaining segments. Exit code 1 when the input cannot be opened.",
            "respike stream --checkpoint runs/weizmann/best.safetensors --input walk.avi --json walk.jsonl",
            "respike stream --checkpoint runs/weizmann/best.safetensors --input walk.avi --realtime --exit-threshold 0.9",
            "respike stream --checkpoint runs/weizmann/best.safetensors --input rtsp://camera.local/stream",
            "ffmpeg -i clip.mp4 -vf scale=64:64 -f rawvideo -pix_fmt rgb24 - | respike stream --checkpoint runs/weizmann/best.safetensors --input - --input-size 64x64");
        foreach (var o in new Option[] { checkpoint, input, realtime, fps, inputSize, inputFps, top, jsonLines, summaryJson, quiet, exitThreshold, noEnergy, threads })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            int k = parse.GetValue(top);
            if (k < 1) throw new UsageException($"--top must be >= 1, got {k}");
            if (parse.GetValue(fps) is <= 0) throw new UsageException($"--fps must be > 0, got {parse.GetValue(fps)}");
            if (!(parse.GetValue(inputFps) > 0)) throw new UsageException($"--input-fps must be > 0, got {parse.GetValue(inputFps)}");
            var exit = CommonOptions.SegmentExit(parse.GetValue(exitThreshold));
            var source = StreamSource.Parse(parse.GetValue(input)!);
            using var recognizer = new StreamRecognizer(CommonOptions.ExistingFile(parse.GetValue(checkpoint)!, "--checkpoint"));
            RawFrameFormat? raw = null;
            if (source.Kind == StreamSourceKind.Stdin)
            {
                var (w, h) = parse.GetValue(inputSize) is { } text ? Size(text) : (recognizer.Config.ImageSize, recognizer.Config.ImageSize);
                raw = new RawFrameFormat(w, h, parse.GetValue(inputFps));
            }
            var options = new StreamOptions
            {
                Realtime = parse.GetValue(realtime), FramesPerSecond = parse.GetValue(fps), Top = k, Exit = exit, Raw = raw,
                CountEnergy = !parse.GetValue(noEnergy),
            };
            var config = recognizer.Config;
            AnsiConsole.MarkupLine(Markup.Escape($"{config.Name}: {config.ImageSize} px, segments of {config.Stride} frames, window {config.Frames} frames (K = {config.Segments})" +
                                                 (exit is null ? "" : $", early exit at tau {exit.Threshold} per clip of {config.Segments} segments")));
            using var lines = parse.GetValue(jsonLines) is { } jl ? OpenLines(jl.FullName) : null;
            bool printLines = !parse.GetValue(quiet);
            using var ctrlC = new CtrlC();
            var summary = recognizer.Run(source, options, r =>
            {
                if (printLines) Console.WriteLine(Line(r));
                lines?.WriteLine(JsonSerializer.Serialize(new
                {
                    t_seconds = Math.Round(r.TSeconds, 3), segment = r.Segment,
                    top = r.Top.Select(l => new { label = l.Label, prob = Math.Round(l.Prob, 5) }),
                    latency_ms = Math.Round(r.LatencyMs, 2), energy_mj = options.CountEnergy ? Math.Round(r.EnergyMj, 5) : (double?)null,
                    dropped_frames = r.DroppedFrames, window_segments = r.WindowSegments, skipped = r.Skipped, exited = r.Exited, queued_frames = r.Queued,
                }));
            }, ctrlC.Token);
            Print(summary, exit is not null);
            if (parse.GetValue(summaryJson) is { } file) JsonReport.Write(file.FullName, summary);
            return summary.SourceError is null ? CliRunner.Ok : CliRunner.Failure;
        });
        return command;
    }

    static (int, int) Size(string text)
    {
        try { return RawFrameFormat.ParseSize(text); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    static StreamWriter OpenLines(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // a stream has no end to wait for: lines are appended and flushed as segments complete
        return new StreamWriter(path, append: false) { AutoFlush = true };
    }

    static string Line(SegmentResult r)
    {
        var labels = string.Join(" | ", r.Top.Select(l => $"{l.Label} {l.Prob * 100,5:0.0}%"));
        var state = r.Skipped ? "  (exited: skipped)" : r.Exited ? "  (exit)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.TSeconds,8:0.00} s  seg {r.Segment,5}  {labels}  latency {r.LatencyMs,6:0.0} ms  {r.EnergyMj,6:0.000} mJ  dropped {r.DroppedFrames}{state}");
    }

    static void Print(StreamSummary s, bool exit)
    {
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{s.FramesReceived} frames ({s.StreamSeconds:0.0} s of stream at {s.FramesPerSecond:0.##} fps, decoded to {s.Width}x{s.Height}) in {s.WallSeconds:0.0} s: " +
            $"{s.FramesPerWallSecond:0.#} frames/s; {s.Segments} segments, {s.SegmentsComputed} computed{(exit ? $" ({s.Segments - s.SegmentsComputed} skipped by early exit)" : "")}, " +
            $"{s.ComputeSecondsPerSegment * 1000:0.0} ms per segment ({s.CpuSecondsPerSegment * 1000:0} ms CPU; real-time factor {s.RealtimeFactor:0.00}); " +
            $"latency mean {s.MeanLatencyMs:0.0} ms, p50 {s.P50LatencyMs:0.0}, p95 {s.P95LatencyMs:0.0}, max {s.MaxLatencyMs:0.0}; energy {s.TotalEnergyMj:0.###} mJ")));
        if (s.Live)
            AnsiConsole.MarkupLine(s.KeptUp
                ? "[green]kept up with the source: no frame dropped[/]"
                : Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"fell behind: {s.FramesDropped} of {s.FramesReceived} frames dropped ({100.0 * s.FramesDropped / Math.Max(1, s.FramesReceived):0.#} %); the model needs {s.RealtimeFactor:0.00}x real time")));
        else if (s.RealtimeFactor > 1)
            AnsiConsole.MarkupLine(Markup.Escape($"read as fast as possible; at {s.RealtimeFactor:0.00}x real time per segment a live source at {s.FramesPerSecond:0.##} fps would fall behind"));
        if (s.SourceError is { } error) AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape($"the source ended with an error (ffmpeg exit code {s.SourceExitCode}): {error}"));
    }
}
