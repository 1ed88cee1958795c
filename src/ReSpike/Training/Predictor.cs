using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Distributed;
using ReSpike.Models;
using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Training;

/// <summary>A label and its probability.</summary>
public sealed record LabelProbability(string Label, double Prob);

/// <summary>One file's top labels, or why it could not be classified (then Labels is empty).</summary>
public sealed record FilePrediction(string File, IReadOnlyList<LabelProbability> Labels, string? Error);

/// <summary>Classifies video files with a checkpoint: N uniform clips, the run's test pipeline (centre crop by default), probabilities averaged over clips.</summary>
public sealed class Predictor : IDisposable
{
    readonly VideoModel _net;
    readonly ClipPipeline _pipeline;

    public Predictor(string checkpoint, int clips = 5)
    {
        if (clips < 1) throw new ArgumentException($"--clips must be >= 1, got {clips}");
        _net = Checkpoint.Load(checkpoint);
        _net.eval();
        ClassNames = Checkpoint.ReadClassNames(checkpoint) ?? Enumerable.Range(0, _net.Config.NumClasses).Select(i => $"class_{i}").ToList();
        Sampler = new UniformClipSampler(_net.Config.Frames, clips);
        // the run's test pipeline when config.json is beside the checkpoint, as eval uses it
        _pipeline = EvaluationProtocol.ForCheckpoint(checkpoint).Pipeline(_net.Config.ImageSize);
    }

    public IReadOnlyList<string> ClassNames { get; }
    public UniformClipSampler Sampler { get; }
    public ReSpikeConfig Config => _net.Config;

    /// <summary>The top-k labels for one video file (throws VideoDecodeException naming the file if it cannot be decoded).</summary>
    public IReadOnlyList<LabelProbability> Predict(string video, int top = 5)
    {
        // decode once at a size the test transform only shrinks (short side ~ 8/7 of the crop, as 256/224)
        var frames = VideoDecoder.Decode(video, new DecodeOptions { ShortSide = Math.Max((int)Math.Ceiling(Config.ImageSize * 8 / 7.0), _pipeline.ShortSideNeeded) });
        var clips = Sampler.Sample(frames.Count, new Random(0));
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = torch.stack(clips.Select(c =>
        {
            using var raw = ClipTensor.FromFrames(frames.Select(c));
            return _pipeline.Apply(raw, new Random(0))[0];
        }).ToList());
        var probs = _net.call(batch).softmax(-1).mean([0]).data<float>().ToArray();
        return Enumerable.Range(0, probs.Length).OrderByDescending(i => probs[i]).Take(Math.Clamp(top, 1, probs.Length))
            .Select(i => new LabelProbability(ClassNames[i], probs[i])).ToList();
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
        try { return new FilePrediction(file, Predict(file, top), null); }
        catch (Exception e) when (e is IOException or InvalidDataException or OutOfMemoryException)
        {
            return new FilePrediction(file, [], e is VideoDecodeException v ? v.Reason : e.Message);
        }
    }

    public void Dispose() => _net.Dispose();
}
