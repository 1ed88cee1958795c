using System.Diagnostics;
using System.Text.Json;
using ReSpike.Diagnostics;
using ReSpike.Models;
using ReSpike.Streaming;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using ReSpike.Training;
using ReSpike.Video;

namespace ReSpike.Tests.Streaming;

public class StreamTests
{
    static string SaveCheckpoint(TempDirectory dir, int frames, int stride)
    {
        TorchSharp.torch.manual_seed(5);
        using var net = new ReSpikeNet(new ReSpikeConfig { Stride = stride, Frames = frames, ImageSize = 32, NumClasses = 3 });
        var path = dir.File("tiny.safetensors");
        Checkpoint.Save(net, path, ["run", "walk", "wave"]);
        return path;
    }

    /// <summary>An ffmpeg test pattern (moving, so residuals are not zero) as an MPEG-4 AVI.</summary>
    static string Generate(TempDirectory dir, string name, int width, int height, int fps, double seconds)
    {
        var path = dir.File(name);
        var (code, _, err) = ReSpike.Runtime.ExternalTool.Run(Ffmpeg.FfmpegExecutable,
            ["-v", "error", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-c:v", "mpeg4", "-q:v", "3", "-y", path], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, err);
        return path;
    }

    [RequiresFfmpegFact]
    public void Streamed_window_predictions_equal_offline_predict_on_the_same_frames()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveCheckpoint(dir, frames: 8, stride: 2);
        var video = Generate(dir, "pattern.avi", 64, 48, 25, 1.28);   // 32 frames: 16 segments of 2
        using var recognizer = new StreamRecognizer(checkpoint);
        var results = new List<SegmentResult>();
        var summary = recognizer.Run(StreamSource.Parse(video), new StreamOptions { Top = 3 }, results.Add);
        Assert.Equal(32, summary.FramesReceived);
        Assert.Equal(0, summary.FramesDropped);
        Assert.Equal(16, results.Count);
        Assert.True(results.All(r => r.EnergyMj > 0 && r.LatencyMs >= 0));

        using var offline = new Predictor(checkpoint, clips: 1);
        var frames = VideoDecoder.Decode(video, new DecodeOptions { ShortSide = offline.DecodeShortSide });
        Assert.Equal(32, frames.Count);
        int checkedWindows = 0;
        foreach (var r in results.Where(r => r.WindowSegments == 4))
        {
            int end = (r.Segment + 1) * 2;
            var window = frames.Select(Enumerable.Range(end - 8, 8).ToList());
            var expected = offline.Classify([window], top: 3).Labels;
            Assert.Equal(expected.Select(l => l.Label), r.Top.Select(l => l.Label));
            for (int i = 0; i < 3; i++) Assert.Equal(expected[i].Prob, r.Top[i].Prob, 4);
            checkedWindows++;
        }
        Assert.Equal(13, checkedWindows);   // segments 3..15 have a full window of 4
        // the stream time of a segment is where its last frame is
        Assert.Equal(0.08, results[0].TSeconds, 6);
        Assert.Equal(1.28, results[^1].TSeconds, 6);
    }

    [RequiresFfmpegFact]
    public void Early_exit_in_the_stream_skips_the_rest_of_a_confident_clip()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveCheckpoint(dir, frames: 8, stride: 2);
        var video = Generate(dir, "pattern.avi", 64, 48, 25, 1.28);
        using var recognizer = new StreamRecognizer(checkpoint);
        var results = new List<SegmentResult>();
        // any softmax over 3 classes exceeds 0.34: each clip of 4 segments exits after its first
        var summary = recognizer.Run(StreamSource.Parse(video), new StreamOptions { Exit = new ReSpike.EarlyExit.SegmentExit(0.34) }, results.Add);
        Assert.Equal(16, summary.Segments);
        Assert.Equal(4, summary.SegmentsComputed);
        Assert.Equal([false, true, true, true], results.Take(4).Select(r => r.Skipped));
        Assert.True(results.Where(r => r.Skipped).All(r => r.EnergyMj == 0));
        Assert.Equal(results[0].Top[0], results[3].Top[0]);   // the exit's prediction holds over the skipped segments
    }

    [RequiresFfmpegFact]
    public void A_ten_minute_stream_runs_in_bounded_memory()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveCheckpoint(dir, frames: 8, stride: 4);
        // 10 minutes at 2 fps, 32x24: 1200 frames, 300 segments (low rate and size keep the test short)
        var video = Generate(dir, "long.avi", 32, 24, 2, 600);
        using var recognizer = new StreamRecognizer(checkpoint);
        double? baseline = null, peak = 0;
        int segments = 0;
        var summary = recognizer.Run(StreamSource.Parse(video), new StreamOptions { CountEnergy = false }, r =>
        {
            segments++;
            if (r.Segment % 10 != 0) return;
            GC.Collect();
            var rss = ProcessMemory.ResidentMb();
            if (r.Segment == 50) baseline = rss;
            else if (r.Segment > 50) peak = Math.Max(peak!.Value, rss!.Value);
        });
        Assert.Equal(1200, summary.FramesReceived);
        Assert.Equal(300, segments);
        Assert.Equal(600, summary.StreamSeconds, 6);
        Assert.NotNull(baseline);
        // flat: what 250 more segments add is noise of the allocators, not a per-segment leak
        Assert.True(peak - baseline < 48, $"resident memory grew from {baseline:0} MB (segment 50) to {peak:0} MB");
    }

    [RequiresFfmpegFact]
    public void Invalid_sources_fail_with_a_clear_error_and_exit_code_one()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveCheckpoint(dir, frames: 4, stride: 2);
        var cases = new (string Input, string Expected)[]
        {
            (dir.File("missing.avi"), "file not found"),
            ("/dev/video97", "no such device"),
            ("http://127.0.0.1:9/none.mp4", "cannot open the stream"),
            ("gopher://example.org/x", "unsupported URL scheme"),
        };
        foreach (var (input, expected) in cases)
        {
            var watch = Stopwatch.StartNew();
            var (code, _, err) = CliHarness.Run("stream", "--checkpoint", checkpoint, "--input", input);
            Assert.Equal(1, code);
            Assert.Contains(input, err);
            Assert.Contains(expected, err);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"{input}: took {watch.Elapsed}");
        }
    }

    [RequiresFfmpegFact]
    public void Stream_cli_writes_one_json_line_per_segment()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveCheckpoint(dir, frames: 4, stride: 2);
        var video = Generate(dir, "pattern.avi", 64, 48, 25, 0.4);   // 10 frames: 5 segments
        var (code, output, err) = CliHarness.Run("stream", "--checkpoint", checkpoint, "--input", video, "--top", "2",
            "--json", dir.File("s.jsonl"), "--summary", dir.File("summary.json"));
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(dir.File("s.jsonl"));
        Assert.Equal(5, lines.Length);
        using var last = JsonDocument.Parse(lines[^1]);
        var root = last.RootElement;
        Assert.Equal(4, root.GetProperty("segment").GetInt32());
        Assert.Equal(0.4, root.GetProperty("t_seconds").GetDouble(), 6);
        Assert.Equal(2, root.GetProperty("top").GetArrayLength());
        Assert.True(root.GetProperty("top")[0].GetProperty("prob").GetDouble() > 0);
        Assert.True(root.GetProperty("latency_ms").GetDouble() >= 0);
        Assert.True(root.GetProperty("energy_mj").GetDouble() > 0);
        Assert.Equal(0, root.GetProperty("dropped_frames").GetInt64());
        Assert.Contains("seg", output);
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.File("summary.json")));
        Assert.Equal(10, summary.RootElement.GetProperty("frames_received").GetInt64());
    }

    [RequiresFfmpegFact]
    public void Raw_frames_on_stdin_need_a_valid_size()
    {
        var e = Assert.Throws<ArgumentException>(() => RawFrameFormat.ParseSize("64by48"));
        Assert.Contains("--input-size", e.Message);
        Assert.Equal((160, 120), RawFrameFormat.ParseSize("160x120"));
        Assert.Equal(StreamSourceKind.Stdin, StreamSource.Parse("-").Kind);
        Assert.Equal(StreamSourceKind.Url, StreamSource.Parse("rtsp://cam/1").Kind);
    }
}
