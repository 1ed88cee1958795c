using System.Diagnostics;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Training;
using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Streaming;

/// <summary>
/// Live recognition with a ReSpike checkpoint. Frames arrive from a <see cref="FrameFeed"/>; every s consecutive frames
/// (one key frame and its s−1 residuals) form a segment that runs as soon as its last frame is in. A segment's logits
/// depend on its own frames only (ANN, SNN with LIF state reset per segment, fusion and the linear head are all
/// per segment; <see cref="ReSpikeNet.SegmentLogits"/>), so each segment runs exactly once and its logits vector is
/// all that is kept: the window prediction over the last T frames is the softmax of the mean of the last K = T/s
/// cached vectors, exactly as offline predict on those T frames. Memory is bounded: K vectors and the frame queue.
/// Under early exit the stream is cut into clips of K segments; once a clip is confident its remaining segments are
/// skipped (their frames are read and dropped, no ANN/SNN/fusion work runs) and its prediction holds until the next clip.
/// </summary>
public sealed class StreamRecognizer(string checkpoint) : IDisposable
{
    readonly Predictor _predictor = new(checkpoint, clips: 1);

    public ReSpikeConfig Config => _predictor.Config;
    public IReadOnlyList<string> ClassNames => _predictor.ClassNames;

    /// <summary>The frame rate of the checkpoint's training data (config.json beside it), null when it kept every frame or is unknown.</summary>
    public double? TrainingFramesPerSecond { get; } = TrainingRate(checkpoint);

    /// <summary>Runs the stream to its end (or <paramref name="cancel"/>), reporting each segment as it completes.</summary>
    public StreamSummary Run(StreamSource source, StreamOptions options, Action<SegmentResult> onSegment, CancellationToken cancel = default)
    {
        var net = _predictor.Network;
        var segmented = ISegmentedModel.Require(net, "--checkpoint");
        var info = source.Probe(options.Raw);
        var (width, height) = VideoDecoder.OutputSize(info.Width, info.Height, _predictor.DecodeShortSide);
        double? resample = options.FramesPerSecond ?? TrainingFramesPerSecond;
        double rate = resample ?? (info.FramesPerSecond > 0 ? info.FramesPerSecond : 25);
        int s = segmented.SegmentFrames, k = Config.Segments;
        bool live = source.IsLive(options.Realtime);
        // a live source may queue about a second (at least two segments) before frames are dropped
        int capacity = live ? Math.Max(2 * s, (int)Math.Ceiling(rate)) : 2 * s;

        using var feed = new FrameFeed(source, width, height, resample, options.Realtime, capacity, options.Raw);
        using var counter = options.CountEnergy ? new OpCounter(net) : null;
        var window = new Queue<float[]>(k);
        var pending = new List<StreamFrame>(s);
        var latencies = new List<double>();
        long expected = 0, partialDropped = 0;
        int segment = 0, computed = 0, clipSegment = 0;
        bool clipExited = false;
        float[]? held = null;
        double computeSeconds = 0, energyTotal = 0, cpuSeconds = 0;
        using var self = Process.GetCurrentProcess();
        var wall = Stopwatch.StartNew();

        foreach (var frame in feed.Frames(cancel))
        {
            // a gap: frames were dropped; a segment must be s consecutive frames, so the partial one goes too
            if (frame.Index != expected)
            {
                partialDropped += pending.Count;
                pending.Clear();
            }
            expected = frame.Index + 1;
            pending.Add(frame);
            if (pending.Count < s) continue;

            if (options.Exit is not null && clipSegment == k)
            {
                (clipSegment, clipExited) = (0, false);
                window.Clear();
            }
            bool skip = options.Exit is not null && clipExited;
            float[] probs;
            double energy = 0;
            if (skip) probs = held!;
            else
            {
                var watch = Stopwatch.StartNew();
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                counter?.Reset();
                var logits = Logits(segmented, pending, width, height);
                if (counter is not null) energy = counter.Layers.Sum(l => l.Picojoules(EnergyModel.Fp32)) * 1e-9;
                if (window.Count == k) window.Dequeue();
                window.Enqueue(logits);
                probs = Softmax(Mean(window));
                computeSeconds += watch.Elapsed.TotalSeconds;
                self.Refresh();
                cpuSeconds += (self.TotalProcessorTime - cpuBefore).TotalSeconds;
                computed++;
                energyTotal += energy;
                if (options.Exit is { } exit && probs.Max() > exit.Threshold) clipExited = true;
                held = probs;
            }
            clipSegment++;
            double latency = Stopwatch.GetElapsedTime(pending[^1].ArrivalTicks).TotalMilliseconds;
            if (!skip) latencies.Add(latency);
            onSegment(new SegmentResult(segment++, (pending[^1].Index + 1) / rate, _predictor.Top(probs, options.Top), latency, energy,
                feed.Dropped + partialDropped, window.Count, skip, clipExited, feed.Queued, probs));
            pending.Clear();
        }
        var (code, error) = cancel.IsCancellationRequested ? (0, "") : feed.Finish();
        if (feed.Received == 0 && !cancel.IsCancellationRequested)
            throw new StreamSourceException($"--input {source.Location}: no frames could be read{(error.Length > 0 ? ": " + error : code != 0 ? $" (ffmpeg exit code {code})" : "")}");
        latencies.Sort();
        double Pct(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new StreamSummary(source.Location, width, height, rate, feed.Received, feed.Dropped + partialDropped, segment, computed,
            latencies.Count == 0 ? 0 : latencies.Average(), Pct(0.5), Pct(0.95), latencies.Count == 0 ? 0 : latencies[^1], wall.Elapsed.TotalSeconds,
            feed.Received / rate, computed == 0 ? 0 : computeSeconds / computed, energyTotal, live, code, code != 0 || error.Length > 0 ? error : null)
        { SegmentFrames = s, CpuSecondsPerSegment = computed == 0 ? 0 : cpuSeconds / computed };
    }

    /// <summary>One segment's frames → its logits (the network's test pipeline, then <see cref="ISegmentedModel.SegmentLogits"/>).</summary>
    float[] Logits(ISegmentedModel net, List<StreamFrame> frames, int width, int height)
    {
        int bytes = width * height * 3;
        var rgb = new byte[frames.Count * bytes];
        for (int i = 0; i < frames.Count; i++) frames[i].Rgb.CopyTo(rgb, i * bytes);
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = _predictor.Preprocess(new FrameStack(frames.Count, height, width, rgb)).unsqueeze(0);
        return net.SegmentLogits(input).view(-1).to(ScalarType.Float32).data<float>().ToArray();
    }

    static float[] Mean(IEnumerable<float[]> vectors)
    {
        var list = vectors.ToList();
        var mean = new float[list[0].Length];
        foreach (var v in list) for (int c = 0; c < mean.Length; c++) mean[c] += v[c];
        for (int c = 0; c < mean.Length; c++) mean[c] /= list.Count;
        return mean;
    }

    static float[] Softmax(float[] logits)
    {
        double max = logits.Max(), sum = 0;
        var e = logits.Select(x => Math.Exp(x - max)).ToArray();
        foreach (var x in e) sum += x;
        return e.Select(x => (float)(x / sum)).ToArray();
    }

    static double? TrainingRate(string checkpoint)
    {
        var config = new RunFiles(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!).Config;
        return File.Exists(config) ? TrainingOptions.FromJsonFile(config).Data.Decode.FramesPerSecond : null;
    }

    public void Dispose() => _predictor.Dispose();
}
