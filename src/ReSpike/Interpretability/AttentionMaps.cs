using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Models.Backbones;
using ReSpike.Plotting;
using ReSpike.Training;
using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Interpretability;

/// <summary>
/// The paper's Fig. 4: what a ReSpike cross-attention layer looks at. For each key frame of a clip, one SNN query
/// token (the one whose patch moves most in the group's residual frames, or one the caller names) and its
/// attention over the key frame's ANN tokens, averaged over heads and the group's SNN timesteps, with the
/// most-attended tokens. The weights come from an <see cref="AttentionMonitor"/> on the layer's cross-attention
/// during one ordinary forward, so the prediction is the model's own.
/// </summary>
public static class AttentionMaps
{
    /// <summary>
    /// Maps for one clip of <paramref name="video"/> with the checkpoint's run test pipeline (as predict and eval
    /// use it): the centre clip, or the clip starting at <see cref="AttentionMapOptions.Start"/>.
    /// </summary>
    public static AttentionReport ForVideo(string checkpoint, string video, AttentionMapOptions options)
    {
        options.Validate();
        using var loaded = Checkpoint.Load(checkpoint);
        var net = AsFusingNet(loaded, checkpoint);
        var config = net.Config;
        var pipeline = EvaluationProtocol.ForCheckpoint(checkpoint).Pipeline(config.ImageSize);
        var frames = VideoDecoder.Decode(video, new DecodeOptions { ShortSide = Math.Max((int)Math.Ceiling(config.ImageSize * 8 / 7.0), pipeline.ShortSideNeeded) });
        var indices = ClipFrames(frames.Count, config.Frames, options.Start, video);

        using var scope = NewDisposeScope();
        using var raw = ClipTensor.FromFrames(frames.Select(indices));
        var input = pipeline.Apply(raw, new Random(0))[0];
        var display = WithoutNormalisation(pipeline).Apply(raw, new Random(0))[0];
        var report = Compute(net, display, input, options);
        var names = Checkpoint.ReadClassNames(checkpoint);
        return report with
        {
            Checkpoint = checkpoint,
            Video = video,
            ClipFrames = indices,
            PredictedLabel = names is not null && report.PredictedClass < names.Count ? names[report.PredictedClass] : $"class_{report.PredictedClass}",
            KeyFrames = report.KeyFrames.Select(k => k with { VideoFrame = indices[k.ClipFrame] }).ToList(),
        };
    }

    /// <summary>
    /// Maps for one clip given as tensors: <paramref name="display"/> [T, 3, S, S] on the 0..255 scale (what the
    /// crop shows, for the figure and the residual energy) and <paramref name="input"/> the same clip as the model
    /// takes it (normalised).
    /// </summary>
    public static AttentionReport Compute(ReSpikeNet net, Tensor display, Tensor input, AttentionMapOptions options)
    {
        options.Validate();
        var config = net.Config;
        int layer = options.Layer ?? ResNetStages.Count, stage = layer - 1;
        if (!net.Fuses(stage))
            throw new ArgumentException($"--layer {layer}: model '{config.Name}' with fusion '{config.Fusion.Name()}' has no cross-attention after block {layer}"
                                        + (net.Fusion(stage) is null ? "" : " (full3 fuses after blocks 2-4)"));
        long frames = config.Frames, size = config.ImageSize;
        long[] expected = [frames, 3, size, size];
        if (!display.shape.SequenceEqual(expected) || !input.shape.SequenceEqual(expected))
            throw new ArgumentException($"attention maps need clips [{string.Join(", ", expected)}] (the checkpoint's frames and image size), got display {ShapeText(display)} and input {ShapeText(input)}");

        int patch = net.FusionGridStride(stage);
        int grid = (int)size / patch, tokens = grid * grid;
        int stride = config.Stride, steps = config.Timesteps, segments = config.Segments;
        if (options.Query is { } q && (q.X >= grid || q.Y >= grid))
            throw new ArgumentException($"--query {q}: layer {layer}'s token grid is {grid}x{grid} at {size} px (x and y in 0..{grid - 1})");

        using var scope = NewDisposeScope();
        float[] probabilities;
        Tensor weights;
        using (var monitor = new AttentionMonitor(net.Fusion(stage)!.CrossAttention))
        using (torch.no_grad())
        {
            net.eval();
            probabilities = net.call(input.unsqueeze(0)).softmax(-1)[0].cpu().data<float>().ToArray();
            if (monitor.Calls.Count != 1) throw new InvalidOperationException($"expected one call of layer {layer}'s cross-attention per forward, saw {monitor.Calls.Count}");
            weights = monitor.Calls[0].clone();   // the monitor frees its copies when disposed
        }
        // [steps * segments, heads, n, m], time-major as the SNN folds [T, B*K] (B = 1)
        long heads = weights.shape[1];
        if (weights.shape[0] != steps * segments || weights.shape[2] != tokens || weights.shape[3] != tokens)
            throw new InvalidOperationException($"layer {layer} attention weights are {ShapeText(weights)}, expected [{steps * segments}, heads, {tokens}, {tokens}]");
        var perSegment = weights.view(steps, segments, heads, tokens, tokens).to(float64);

        var pixels = display.cpu().to(float64).div(255.0).view(segments, stride, 3, size, size);
        var energy = (pixels.narrow(1, 1, steps) - pixels.narrow(1, 0, 1)).abs().mean([1, 2]);          // [K, S, S]
        var tokenEnergy = nn.functional.avg_pool2d(energy.unsqueeze(1), patch).view(segments, tokens);  // [K, n]

        var keyFrames = new List<KeyFrameAttention>(segments);
        for (int k = 0; k < segments; k++)
        {
            var energies = tokenEnergy[k].data<double>().ToArray();
            var query = options.Query ?? TokenCell.At(ArgMax(energies), grid);
            int queryToken = query.Index(grid);
            var raw = perSegment.select(1, k).select(2, queryToken);   // [steps, heads, m]
            var mean = raw.mean([0, 1]).data<double>().ToArray();
            keyFrames.Add(new KeyFrameAttention
            {
                Segment = k,
                ClipFrame = k * stride,
                Query = query,
                QueryToken = queryToken,
                QueryRule = options.Query is null ? "largest residual motion" : "given",
                ResidualEnergy = energies,
                Weights = mean,
                WeightsPerStepAndHead = Enumerable.Range(0, steps).Select(t =>
                    Enumerable.Range(0, (int)heads).Select(h => raw[t, h].data<double>().ToArray()).ToArray()).ToArray(),
                Top = Largest(mean, options.Top).Select(i => new AttendedToken(i, i % grid, i / grid, mean[i])).ToList(),
                KeyFramePixels = KeyFramePixels(display[k * stride]),
                ResidualEnergyPixels = ToArray2D(energy[k]),
            });
        }
        int predicted = ArgMax(probabilities.Select(p => (double)p).ToArray());
        return new AttentionReport
        {
            Model = config.Name,
            Layer = layer,
            GridHeight = grid,
            GridWidth = grid,
            PatchSize = patch,
            Heads = (int)heads,
            Timesteps = steps,
            ClipFrames = Enumerable.Range(0, (int)frames).ToArray(),
            PredictedClass = predicted,
            Probability = probabilities[predicted],
            KeyFrames = keyFrames,
        };
    }

    /// <summary>
    /// Writes one PNG per key frame into <paramref name="outDir"/> (keyframe_VIDEOFRAME.png, or keyframe_kK.png for
    /// a clip given as tensors) and returns the report with their paths.
    /// </summary>
    public static AttentionReport WriteFigures(AttentionReport report, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var paths = new List<string>(report.KeyFrames.Count);
        foreach (var key in report.KeyFrames)
        {
            var name = key.VideoFrame is { } f ? $"keyframe_{f:D5}.png" : $"keyframe_k{key.Segment}.png";
            var path = Path.Combine(outDir, name);
            AttentionFigure.Write(path, report, key);
            paths.Add(path);
        }
        return report with { Figures = paths };
    }

    /// <summary>Indices of the <paramref name="count"/> largest values, largest first (ties: lower index first).</summary>
    public static int[] Largest(IReadOnlyList<double> values, int count) =>
        Enumerable.Range(0, values.Count).OrderByDescending(i => values[i]).ThenBy(i => i).Take(count).ToArray();

    static int ArgMax(double[] values) => Largest(values, 1)[0];

    static ReSpikeNet AsFusingNet(VideoModel model, string checkpoint) =>
        model is ReSpikeNet net && net.Config.Variant.UsesFusion()
            ? net
            : throw new ArgumentException($"--checkpoint {checkpoint}: model '{model.Config.Name}' has no cross-attention fusion; attention maps need a 'respike' checkpoint");

    static int[] ClipFrames(int videoFrames, int clipLength, int? start, string video)
    {
        if (start is not { } first) return new UniformClipSampler(clipLength, 1).Sample(videoFrames, new Random(0))[0];
        if (first + clipLength > videoFrames)
            throw new ArgumentException($"--start {first}: {video} has {videoFrames} frames, a {clipLength}-frame clip must start at or before frame {Math.Max(0, videoFrames - clipLength)}");
        return Enumerable.Range(first, clipLength).ToArray();
    }

    /// <summary>The test pipeline without its normalisation: the crop the model sees, on the 0..255 scale.</summary>
    static ClipPipeline WithoutNormalisation(ClipPipeline pipeline) => new(pipeline.Steps.Where(s => s is not Normalize).ToList());

    static byte[,,] KeyFramePixels(Tensor frame)
    {
        using var hwc = frame.permute(1, 2, 0).clamp(0, 255).round().to(uint8).contiguous().cpu();
        long h = hwc.shape[0], w = hwc.shape[1];
        var bytes = hwc.data<byte>().ToArray();
        var result = new byte[h, w, 3];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    static double[,] ToArray2D(Tensor map)
    {
        long h = map.shape[0], w = map.shape[1];
        var values = map.contiguous().data<double>().ToArray();
        var result = new double[h, w];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    static string ShapeText(Tensor t) => IO.ShapeText.Format(t.shape);
}
