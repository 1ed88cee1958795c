using ReSpike.Data;
using ReSpike.Data.Loading;
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
        Assert.Equal(report.ClipTop1, multi.ClipTop1);       // clip level is always the reference protocol
        Assert.Equal(3, multi.Crops);

        using var dir = new TempDirectory();
        EvaluationFiles.WriteConfusionCsv(dir.File("c.csv"), report);
        var lines = File.ReadAllLines(dir.File("c.csv"));
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("true\\predicted,slide_right,", lines[0]);
        Assert.Equal(report.Videos, lines.Skip(1).Sum(l => l.Split(',').Skip(1).Sum(int.Parse)));
    }
}
