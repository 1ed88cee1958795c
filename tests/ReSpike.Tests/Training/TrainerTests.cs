using System.Text.Json;
using ReSpike.IO.SafeTensors;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void A_tiny_run_lowers_the_training_loss_and_writes_the_run_folder()
    {
        using var dir = new TempDirectory();
        var options = TinyRuns.Options(epochs: 4) with { Evaluate = true };
        var result = new Trainer(options, dir.Path).Run();

        Assert.False(result.Interrupted);
        Assert.Equal(4, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss,
            $"loss did not go down: {string.Join(" -> ", result.Epochs.Select(e => e.TrainLoss.ToString("0.000")))}");
        foreach (var f in new[] { "config.json", "metrics.jsonl", "last.safetensors", "best.safetensors" })
            Assert.True(File.Exists(Path.Combine(dir.Path, f)), $"{f} missing");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Path, "tensorboard"), "events.out.tfevents.*"));
        var lines = File.ReadAllLines(result.Files.Metrics);
        Assert.Equal(4, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        foreach (var field in new[] { "epoch", "train_loss", "clip_top1", "video_top1", "seconds" })
            Assert.True(first.RootElement.TryGetProperty(field, out _), $"metrics.jsonl lacks '{field}'");
        // the cosine schedule: epoch 1 at the base rate, then decreasing
        Assert.Equal(1e-3, result.Epochs[0].Lr, 12);
        Assert.True(result.Epochs[3].Lr < result.Epochs[1].Lr);
        // the saved config is the effective one and reloads
        var saved = TrainingOptions.FromJsonFile(result.Files.Config);
        Assert.Equal(options.Seed, saved.Seed);
        Assert.Equal(6, saved.Model.NumClasses);
    }

    [Theory]
    [InlineData(1)]   // inside epoch 1, before any evaluation (the best metric is still -infinity)
    [InlineData(4)]   // inside epoch 2
    public void An_interrupted_and_resumed_run_ends_with_the_same_metrics_and_weights_as_an_uninterrupted_one(int stopAfterSteps)
    {
        using var straight = new TempDirectory();
        using var resumed = new TempDirectory();
        var options = TinyRuns.Options(epochs: 2);
        var full = new Trainer(options, straight.Path).Run();

        using (var cancel = new CancellationTokenSource())
        {
            // 18 videos / batch 6 = 3 steps per epoch
            var stopped = new Trainer(options, resumed.Path, new TinyRuns.CancelAfter(stopAfterSteps, cancel)).Run(cancel: cancel.Token);
            Assert.True(stopped.Interrupted);
            Assert.Equal((stopAfterSteps - 1) / 3, stopped.Epochs.Count);
        }
        var continued = new Trainer(options, resumed.Path).Run(resume: true);

        Assert.Equal(full.Epochs.Count, continued.Epochs.Count);
        for (int i = 0; i < full.Epochs.Count; i++)
        {
            var (a, b) = (full.Epochs[i], continued.Epochs[i]);
            Assert.Equal(a.TrainLoss, b.TrainLoss);
            Assert.Equal(a.TrainTop1, b.TrainTop1);
            Assert.Equal(a.ClipTop1, b.ClipTop1);
            Assert.Equal(a.VideoTop1, b.VideoTop1);
            Assert.Equal(a.Lr, b.Lr);
        }
        var w1 = SafeTensorsFile.Load(full.Files.Last);
        var w2 = SafeTensorsFile.Load(continued.Files.Last);
        Assert.Equal(w1.Keys.Order(), w2.Keys.Order());
        foreach (var name in w1.Keys) TensorAssert.Equal(w1[name], w2[name], name);
    }

    [Fact]
    public void A_corrupt_checkpoint_gives_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        var result = new Trainer(TinyRuns.Options(epochs: 1) with { Evaluate = false }, dir.Path).Run();
        var bytes = File.ReadAllBytes(result.Files.Last);
        var truncated = dir.File("truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var garbage = dir.File("garbage.safetensors");
        File.WriteAllText(garbage, "this is not a checkpoint");

        foreach (var path in new[] { truncated, garbage })
        {
            var e = Assert.ThrowsAny<Exception>(() => Checkpoint.Load(path));
            Assert.True(e is InvalidDataException or IOException, e.GetType().Name);
            Assert.Contains(Path.GetFileName(path), e.Message);
        }
    }

    [Fact]
    public void Resume_refuses_a_folder_without_a_run_and_a_new_run_refuses_to_overwrite_one()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<FileNotFoundException>(() => new Trainer(TinyRuns.Options(1), dir.Path).Run(resume: true));
        Assert.Contains("--resume", missing.Message);
        new Trainer(TinyRuns.Options(1) with { Evaluate = false }, dir.Path).Run();
        var again = Assert.Throws<IOException>(() => new Trainer(TinyRuns.Options(1), dir.Path).Run());
        Assert.Contains("--resume", again.Message);
    }

    [Fact]
    public void A_diverging_loss_stops_with_the_epoch_and_step()
    {
        using var dir = new TempDirectory();
        var options = TinyRuns.Options(1) with { Optimizer = "sgd", LearningRate = 1e12, Evaluate = false };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(options, dir.Path).Run());
        Assert.Equal(1, e.Epoch);
        Assert.True(e.Step >= 2, $"step {e.Step}");
        Assert.Contains($"step {e.Step}", e.Message);
    }
}
