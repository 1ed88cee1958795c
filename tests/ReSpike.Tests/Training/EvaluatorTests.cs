using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Data.Transforms;
using ReSpike.Video;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

public class EvaluatorTests
{
    [Fact]
    public void Evaluation_counts_add_up_and_top5_is_at_least_top1()
    {
        var options = TinyRuns.Options(videosPerClass: 2);
        var (dataset, reader) = options.Data with { SyntheticFrames = 9 } is var spec ? spec.Open(DatasetSubset.Test) : default;
        var indexed = IndexedDataset.Build(dataset, reader);
        TorchSharp.torch.manual_seed(3);
        using var net = new ReSpikeNet(options.Model);

        var report = Evaluator.Run(net, indexed, clipsPerVideo: 0, crops: 1, batchSize: 4);
        Assert.Equal(12, report.Videos);
        Assert.Equal(12 * 2, report.Clips);                 // 9 frames -> two 4-frame clips, tail dropped
        Assert.Equal(0, report.Skipped);
        Assert.Equal(report.Videos, report.Confusion.Sum(row => row.Sum()));
        Assert.Equal(report.Videos, report.PerClass.Sum(c => c.Videos));
        Assert.True(report.VideoTop5 >= report.VideoTop1);
        Assert.Equal(report.PerClass.Sum(c => c.Correct) / (double)report.Videos, report.VideoTop1, 12);
        Assert.Equal(report.PerClass.Average(c => c.Accuracy), report.MeanClassAcc, 12);

        var multi = Evaluator.Run(net, indexed, clipsPerVideo: 3, crops: 3, batchSize: 4);
        Assert.Equal(12, multi.Videos);
        Assert.Equal(report.ClipTop1, multi.ClipTop1);       // clip level is the protocol's clips whatever the video level
        Assert.Equal(3, multi.Crops);

        using var dir = new TempDirectory();
        EvaluationFiles.WriteConfusionCsv(dir.File("c.csv"), report);
        var lines = File.ReadAllLines(dir.File("c.csv"));
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("true\\predicted,slide_right,", lines[0]);
        Assert.Equal(report.Videos, lines.Skip(1).Sum(l => l.Split(',').Skip(1).Sum(int.Parse)));
    }

    /// <summary>Serves another reader's frames and records which frame indices each read asked for.</summary>
    sealed class RecordingReader(IFrameReader inner) : IFrameReader
    {
        public System.Collections.Concurrent.ConcurrentBag<(string Path, int[] Frames)> Reads { get; } = [];

        public int FrameCount(VideoEntry video) => inner.FrameCount(video);

        public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices)
        {
            Reads.Add((video.Path, indices.ToArray()));
            return inner.Read(video, indices);
        }
    }

    [Fact]
    public void A_model_trained_on_segments_is_tested_on_one_seeded_segment_clip_per_video()
    {
        var options = TinyRuns.Options(videosPerClass: 2);
        var (dataset, synthetic) = (options.Data with { SyntheticFrames = 9 }).Open(DatasetSubset.Test);
        var reader = new RecordingReader(synthetic);
        var indexed = IndexedDataset.Build(dataset, reader);
        TorchSharp.torch.manual_seed(3);
        using var net = new ReSpikeNet(options.Model);

        var segments = new EvaluationProtocol { Sampling = "segments" };
        var report = Evaluator.Run(net, indexed, batchSize: 4, protocol: segments);
        Assert.Equal(12, report.Videos);
        Assert.Equal(12, report.Clips);                     // one TSN clip per video, not 12 x 2 consecutive clips
        Assert.Equal(report.ClipTop1, report.VideoTop1, 12); // one clip per video: both levels agree
        var first = reader.Reads.ToList();
        Assert.Equal(12, first.Count);
        Assert.Equal(12, first.Select(r => r.Path).Distinct().Count());
        // 9 frames in 4 segments of 9 // 4 = 2 frames: frame i is 2i or 2i + 1
        foreach (var (_, frames) in first)
            for (int i = 0; i < 4; i++) Assert.InRange(frames[i], 2 * i, 2 * i + 1);
        // random offsets as the reference tests Kinetics, but from a fixed seed: the same clips every time
        Assert.Contains(first, r => r.Frames.Any(f => f % 2 == 1));
        Assert.Contains(first, r => r.Frames.Any(f => f % 2 == 0));
        reader.Reads.Clear();
        var again = Evaluator.Run(net, indexed, batchSize: 4, protocol: segments);
        Assert.Equal(first.OrderBy(r => r.Path).Select(r => r.Frames), reader.Reads.OrderBy(r => r.Path).Select(r => r.Frames));
        Assert.Equal(report.ClipTop1, again.ClipTop1);

        // the default protocol (and a model trained on clips) still reads every consecutive clip
        reader.Reads.Clear();
        var clips = Evaluator.Run(net, indexed, batchSize: 4, protocol: new EvaluationProtocol { Sampling = "clips", TestCrop = TestCrop.ScaledCentre });
        Assert.Equal(24, clips.Clips);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7]], reader.Reads.Where(r => r.Path == first[0].Path).Select(r => r.Frames).OrderBy(f => f[0]));
    }

    [Fact]
    public void Training_evaluates_with_its_own_sampling_and_saves_the_protocol_in_config_json()
    {
        using var dir = new TempDirectory();
        var options = TinyRuns.Options(epochs: 1, videosPerClass: 2) with
        {
            Data = TinyRuns.Options().Data with { SyntheticVideosPerClass = 2, SyntheticFrames = 9 },
            Sampling = "segments",
            TrainCrop = TrainCrop.Multiscale,
            TestCrop = TestCrop.ScaledCentre,
        };
        var result = new Trainer(options, dir.File("run")).Run();
        Assert.Equal(12, result.LastEvaluation!.Clips);      // clips sampling would test 24
        var saved = TrainingOptions.FromJsonFile(dir.File("run/config.json"));
        Assert.Equal(("segments", TrainCrop.Multiscale, TestCrop.ScaledCentre), (saved.Sampling, saved.TrainCrop, saved.TestCrop));
        var text = File.ReadAllText(dir.File("run/config.json"));
        Assert.Contains("\"train_crop\": \"multiscale\"", text);
        Assert.Contains("\"test_crop\": \"scaled-centre\"", text);
        // eval of a checkpoint of this run reads the same protocol back
        var protocol = EvaluationProtocol.ForCheckpoint(dir.File("run/best.safetensors"));
        Assert.Equal(("segments", TestCrop.ScaledCentre, dir.File("run/config.json")), (protocol.Sampling, protocol.TestCrop, protocol.Source));
        Assert.Equal(37, protocol.ShortSide);                // 8/7 x 32 rounded up, filled in by the run
        Assert.Null(EvaluationProtocol.ForCheckpoint(dir.File("elsewhere/model.safetensors")).Source);
    }
}
