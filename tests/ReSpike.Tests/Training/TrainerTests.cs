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

    [Fact]
    public void Best_safetensors_is_the_epoch_with_the_best_clip_top1_and_the_summary_reports_video_best_and_last()
    {
        using var dir = new TempDirectory();
        // 8-frame videos give 2 test clips each, so clip-level and video-level top-1 differ; with this seed the best
        // epoch by clip top-1 (the reference's choice) is not the best by video top-1
        var options = TinyRuns.Options(epochs: 4, variant: ModelVariant.Ann) with { Seed = 2 };
        options = options with { Data = options.Data with { SyntheticFrames = 8 } };
        var result = new Trainer(options, dir.Path).Run();

        var epochs = File.ReadAllLines(result.Files.Metrics).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, epochs.Count);
        double[] clip = epochs.Select(e => e.GetProperty("clip_top1").GetDouble()).ToArray();
        double[] video = epochs.Select(e => e.GetProperty("video_top1").GetDouble()).ToArray();
        int clipBest = Array.IndexOf(clip, clip.Max()) + 1, videoBest = Array.IndexOf(video, video.Max()) + 1;   // first on a tie, as the reference
        Assert.True(clipBest != videoBest,
            $"precondition: this run no longer separates the two metrics (clip {string.Join(" ", clip)}; video {string.Join(" ", video)}); pick another seed");

        var saved = Checkpoint.ReadMetadata(result.Files.Best);
        Assert.Equal(clipBest.ToString(), saved[Checkpoint.EpochKey]);
        Assert.Equal(clipBest, result.BestEpoch);
        Assert.Equal(clip.Max(), result.BestMetric);
        // best.safetensors holds that epoch's weights: evaluating it gives the logged clip top-1 again
        using (var net = Checkpoint.Load(result.Files.Best))
        {
            var (testSet, reader) = options.Data.Open(ReSpike.Data.DatasetSubset.Test);
            var report = Evaluator.Run(net, ReSpike.Data.Loading.IndexedDataset.Build(testSet, reader), batchSize: options.BatchSize);
            Assert.Equal(clip[clipBest - 1], report.ClipTop1);
            Assert.Equal(video[clipBest - 1], report.VideoTop1);
        }

        Assert.Equal("clip_top1", result.Summary.SelectedBy);
        Assert.Equal((clipBest, videoBest, 4), (result.Summary.Best!.Epoch, result.Summary.BestVideo!.Epoch, result.Summary.Last!.Epoch));
        using var summary = JsonDocument.Parse(File.ReadAllText(result.Files.Summary));
        var root = summary.RootElement;
        Assert.Equal("clip_top1", root.GetProperty("selected_by").GetString());
        Assert.Equal(clipBest, root.GetProperty("best").GetProperty("epoch").GetInt32());
        Assert.Equal(clip[clipBest - 1], root.GetProperty("best").GetProperty("clip_top1").GetDouble());
        Assert.Equal(video[clipBest - 1], root.GetProperty("best").GetProperty("video_top1").GetDouble());
        Assert.Equal(videoBest, root.GetProperty("best_video").GetProperty("epoch").GetInt32());
        Assert.Equal(video.Max(), root.GetProperty("best_video").GetProperty("video_top1").GetDouble());
        Assert.Equal(4, root.GetProperty("last").GetProperty("epoch").GetInt32());
        Assert.Equal(clip[3], root.GetProperty("last").GetProperty("clip_top1").GetDouble());
    }

    [Fact]
    public void The_summary_picks_the_first_best_clip_epoch_and_falls_back_to_the_training_loss_without_evaluation()
    {
        static EpochMetrics M(int epoch, double loss, double? clip, double? video) => new() { Epoch = epoch, TrainLoss = loss, ClipTop1 = clip, VideoTop1 = video };
        var s = RunSummary.From([M(1, 2.0, 0.30, 0.50), M(2, 1.5, 0.40, 0.45), M(3, 1.2, 0.40, 0.55), M(4, 1.0, 0.35, 0.55)]);
        Assert.Equal("clip_top1", s.SelectedBy);
        Assert.Equal((2, 3, 4), (s.Best!.Epoch, s.BestVideo!.Epoch, s.Last!.Epoch));   // ties keep the earlier epoch

        var noEval = RunSummary.From([M(1, 2.0, null, null), M(2, 0.9, null, null), M(3, 1.1, null, null)]);
        Assert.Equal("train_loss", noEval.SelectedBy);
        Assert.Equal(2, noEval.Best!.Epoch);
        Assert.Null(noEval.BestVideo);
        Assert.Equal(3, noEval.Last!.Epoch);

        var empty = RunSummary.From([]);
        Assert.Null(empty.Best);
        Assert.Null(empty.Last);
    }

    [Theory]
    [InlineData("respike", true)]
    [InlineData("respike-noattn", true)]
    [InlineData("ann", true)]
    [InlineData("snn", false)]
    public void Variants_with_an_ann_warn_once_when_it_starts_from_scratch(string variant, bool warns)
    {
        var options = TinyRuns.Options() with { Model = TinyRuns.Options().Model with { Variant = ModelNames.ParseVariant(variant), Backbone = "resnet50" } };
        var warnings = TrainingWarning.For(options);
        if (!warns)
        {
            Assert.Empty(warnings);
            return;
        }
        var w = Assert.Single(warnings);
        Assert.Equal(TrainingWarning.AnnFromScratch, w.Code);
        foreach (var text in new[] { "from scratch", "ImageNet", "respike init --backbone resnet50 --pretrained resnet50.safetensors", "--pretrained resnet50.safetensors", "README" })
            Assert.Contains(text, w.Text);
        Assert.Empty(TrainingWarning.For(options with { Pretrained = "resnet50.safetensors" }));
    }

    [Fact]
    public void The_trainer_reports_the_scratch_warning_to_its_observer_and_in_its_result_unless_suppressed()
    {
        using var dir = new TempDirectory();
        var options = TinyRuns.Options(epochs: 1, variant: ModelVariant.Ann, videosPerClass: 1) with { Evaluate = false };
        var seen = new WarningRecorder();
        var result = new Trainer(options, dir.File("a"), seen).Run();
        Assert.Equal([TrainingWarning.AnnFromScratch], seen.Codes);
        Assert.Equal([TrainingWarning.AnnFromScratch], result.Warnings.Select(w => w.Code));

        var quiet = new WarningRecorder();
        var suppressed = new Trainer(options, dir.File("b"), quiet) { SuppressedWarnings = new HashSet<string> { TrainingWarning.AnnFromScratch } }.Run();
        Assert.Empty(quiet.Codes);
        Assert.Empty(suppressed.Warnings);
    }

    sealed class WarningRecorder : ITrainingObserver
    {
        public List<string> Codes { get; } = [];
        public void Warning(TrainingWarning warning) => Codes.Add(warning.Code);
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
