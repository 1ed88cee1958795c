using System.Text.Json;
using ReSpike.Models;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

[Collection(VideoCollection.Name)]
public class PredictorTests(VideoFixtures videos)
{
    static string SaveTinyCheckpoint(TempDirectory dir)
    {
        TorchSharp.torch.manual_seed(5);
        using var net = new ReSpikeNet(new ReSpikeConfig { Stride = 2, Frames = 4, ImageSize = 32, NumClasses = 3 });
        var path = dir.File("tiny.safetensors");
        Checkpoint.Save(net, path, ["run", "walk", "wave"]);
        return path;
    }

    [RequiresFfmpegFact]
    public void Predict_ranks_the_checkpoints_class_names_by_probability()
    {
        using var dir = new TempDirectory();
        using var predictor = new Predictor(SaveTinyCheckpoint(dir), clips: 3);
        var top = predictor.Predict(videos.Path(VideoFixtures.Xvid), top: 3);

        Assert.Equal(["run", "walk", "wave"], top.Select(l => l.Label).Order().ToArray());
        Assert.Equal(1.0, top.Sum(l => l.Prob), 5);
        Assert.True(top[0].Prob >= top[1].Prob && top[1].Prob >= top[2].Prob);
        Assert.Single(predictor.Predict(videos.Path(VideoFixtures.Xvid), top: 1));
        // a 3-frame video is looped into a 4-frame clip rather than rejected
        Assert.Equal(2, predictor.Predict(videos.Path(VideoFixtures.Short), top: 2).Count);
    }

    [RequiresFfmpegFact]
    public void Predict_cli_reports_each_file_and_fails_on_a_broken_one()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveTinyCheckpoint(dir);
        var (code, output, err) = CliHarness.Run("predict", "--checkpoint", checkpoint, "--top", "2",
            videos.Path(VideoFixtures.H264Aac), videos.TextAvi, "--json", dir.File("p.json"));
        Assert.Equal(1, code);
        Assert.Contains("text.avi", err);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("p.json")));
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(2, items[0].GetProperty("labels").GetArrayLength());
        Assert.True(items[0].GetProperty("labels")[0].GetProperty("prob").GetDouble() > 0);
        Assert.Equal(0, items[1].GetProperty("labels").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(items[1].GetProperty("error").GetString()));
        Assert.Contains("h264_aac.mp4", output);
    }
}
