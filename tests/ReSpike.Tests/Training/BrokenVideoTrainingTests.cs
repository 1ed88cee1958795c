using ReSpike.Data;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

[Collection(VideoCollection.Name)]
public class BrokenVideoTrainingTests(VideoFixtures videos)
{
    [RequiresFfmpegFact]
    public void A_folder_dataset_with_broken_videos_trains_on_and_reports_them()
    {
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "data");
        foreach (var (cls, good) in new[] { ("jump", VideoFixtures.Xvid), ("wave", VideoFixtures.H264Aac) })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            for (int i = 0; i < 5; i++) File.Copy(videos.Path(good), Path.Combine(root, cls, $"{cls}_{i}{Path.GetExtension(good.Name)}"));
        }
        File.WriteAllText(Path.Combine(root, "jump", "broken.avi"), "not a video");
        File.WriteAllBytes(Path.Combine(root, "wave", "empty.mp4"), []);

        var options = new TrainingOptions
        {
            Model = new ReSpikeConfig { Stride = 2, Frames = 4, ImageSize = 32, NumClasses = 2 },
            Data = new DatasetSpec { Kind = DatasetKind.Folder, Root = root, CacheDirectory = Path.Combine(dir.Path, "cache"), Decode = new() { ShortSide = 40 } },
            Epochs = 1, BatchSize = 8, Optimizer = "adamw", LearningRate = 1e-3, Seed = 3,
        };
        var result = new Trainer(options, Path.Combine(dir.Path, "run")).Run();

        Assert.False(result.Interrupted);
        Assert.Single(result.Epochs);
        // every 5th video per class (sorted) is held out for test: broken.avi and empty.mp4 sort first, so they are training videos
        Assert.Equal(["broken.avi", "empty.mp4"], result.Skipped.Select(s => Path.GetFileName(s.Path)).Order().ToArray());
        Assert.All(result.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.True(result.Epochs[0].TrainClips > 0);
        Assert.NotNull(result.LastEvaluation);
        Assert.Equal(2, result.LastEvaluation!.Videos);
    }
}
