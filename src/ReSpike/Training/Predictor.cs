using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Distributed;
using ReSpike.EarlyExit;
using ReSpike.Models;
using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>A label and its probability.</summary>
public sealed record LabelProbability(string Label, double Prob);

/// <summary>The top labels of a video and, under early exit, the segments its clips used on average (null without exit).</summary>
public sealed record VideoPrediction(IReadOnlyList<LabelProbability> Labels, double? MeanSegments);

/// <summary>One file's top labels, or why it could not be classified (then Labels is empty).</summary>
/// <param name="MeanSegments">Under early exit, the segments its clips used on average (else null).</param>
public sealed record FilePrediction(string File, IReadOnlyList<LabelProbability> Labels, string? Error, double? MeanSegments = null);

/// <summary>
/// Classifies video files with a checkpoint: N uniform clips, the run's test pipeline (centre crop by default), probabilities
/// averaged over clips; with a <see cref="SegmentExit"/>, each clip stops after the segments it needs.
/// </summary>
public sealed class Predictor : IDisposable
{
    readonly VideoModel _net;
    readonly ClipPipeline _pipeline;
    readonly SegmentExit? _exit;

    public Predictor(string checkpoint, int clips = 5, SegmentExit? exit = null)
    {
        if (clips < 1) throw new ArgumentException($"--clips must be >= 1, got {clips}");
        _net = Checkpoint.Load(checkpoint);
        _net.eval();
        if (exit is not null) ISegmentedModel.Require(_net, "--exit-threshold");
        _exit = exit;
        ClassNames = Checkpoint.ReadClassNames(checkpoint) ?? Enumerable.Range(0, _net.Config.NumClasses).Select(i => $"class_{i}").ToList();
        Sampler = new UniformClipSampler(_net.Config.Frames, clips);
        // the run's test pipeline when config.json is beside the checkpoint, as eval uses it
        _pipeline = EvaluationProtocol.ForCheckpoint(checkpoint).Pipeline(_net.Config.ImageSize);
    }

    public IReadOnlyList<string> ClassNames { get; }
    public UniformClipSampler Sampler { get; }
    public ReSpikeConfig Config => _net.Config;

    /// <summary>The network (eval mode), for callers that run it segment by segment (the stream).</summary>
    public VideoModel Network => _net;

    /// <summary>The shorter side frames are decoded at: one the test transform only shrinks (~8/7 of the crop, as 256/224).</summary>
    public int DecodeShortSide => Math.Max((int)Math.Ceiling(Config.ImageSize * 8 / 7.0), _pipeline.ShortSideNeeded);

    /// <summary>Decoded frames [T, H, W] RGB → the network's input [T, 3, S, S] (the test pipeline's one view).</summary>
    public Tensor Preprocess(FrameStack frames)
    {
        using var raw = ClipTensor.FromFrames(frames);
        return _pipeline.Apply(raw, new Random(0))[0];
    }

    /// <summary>The top-k labels for one video file (throws VideoDecodeException naming the file if it cannot be decoded).</summary>
    public IReadOnlyList<LabelProbability> Predict(string video, int top = 5) => Classify(video, top).Labels;

    /// <summary><see cref="Predict"/> with the segments used under early exit.</summary>
    public VideoPrediction Classify(string video, int top = 5)
    {
        var frames = VideoDecoder.Decode(video, new DecodeOptions { ShortSide = DecodeShortSide });
        var clips = Sampler.Sample(frames.Count, new Random(0));
        return Classify(clips.Select(c => frames.Select(c)), top);
    }

    /// <summary>The top-k labels of clips of exactly T decoded frames each, probabilities averaged over the clips.</summary>
    public VideoPrediction Classify(IEnumerable<FrameStack> clips, int top = 5)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = torch.stack(clips.Select(Preprocess).ToList());
        double? meanSegments = null;
        Tensor logits;
        if (_exit is null) logits = _net.call(batch);
        else
        {
            var result = _exit.Run(_net, batch);
            logits = result.Logits;
            meanSegments = result.SegmentsUsed.Average();
        }
        var probs = logits.softmax(-1).mean([0]).data<float>().ToArray();
        return new VideoPrediction(Top(probs, top), meanSegments);
    }

    /// <summary>
    /// The top-k labels of every file, in the given order; a file that fails to decode gets its error instead. Under MPI the
    /// ranks share the files (every Size-th each; a file's result does not depend on which rank scores it) and every rank
    /// gets all results.
    /// </summary>
    public IReadOnlyList<FilePrediction> PredictFiles(IReadOnlyList<string> files, int top = 5, IProcessGroup? group = null)
    {
        group ??= SingleProcess.Instance;
        var mine = group.Share(files.Count).Select(i => (Index: i, Result: PredictOrError(files[i], top))).ToList();
        return group.Allgather(mine.Select(m => new IndexedPrediction(m.Index, m.Result)).ToList(), "gathering the predictions")
            .SelectMany(part => part).OrderBy(p => p.Index).Select(p => p.Prediction).ToList();
    }

    sealed record IndexedPrediction(int Index, FilePrediction Prediction);

    FilePrediction PredictOrError(string file, int top)
    {
        try
        {
            var prediction = Classify(file, top);
            return new FilePrediction(file, prediction.Labels, null, prediction.MeanSegments);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OutOfMemoryException)
        {
            return new FilePrediction(file, [], e is VideoDecodeException v ? v.Reason : e.Message);
        }
    }

    /// <summary>The <paramref name="top"/> most probable labels of a probability vector, best first.</summary>
    public IReadOnlyList<LabelProbability> Top(IReadOnlyList<float> probs, int top) =>
        Enumerable.Range(0, probs.Count).OrderByDescending(i => probs[i]).Take(Math.Clamp(top, 1, probs.Count))
            .Select(i => new LabelProbability(ClassNames[i], probs[i])).ToList();

    public void Dispose() => _net.Dispose();
}
