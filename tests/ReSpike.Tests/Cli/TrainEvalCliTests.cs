using System.Text.Json;
using ReSpike.Tests.IO;

namespace ReSpike.Tests.Cli;

public class TrainEvalCliTests
{
    static readonly string[] Tiny =
        ["--dataset", "synthetic", "--data-videos", "2", "--data-frames", "4", "--data-size", "32", "--image", "32", "--frames", "4", "--stride", "2", "--batch", "6"];

    [Fact]
    public void Train_then_eval_write_the_contract_json_fields()
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        var (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--epochs", "1", "--optimizer", "adamw", "--lr", "0.001", "--out", run, "--json", dir.File("train.json")]);
        Assert.True(code == 0, err + output);
        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"));
        Assert.Single(metrics);
        output = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");   // the console wraps long lines
        // the respike variant without --pretrained: one warning, saying how to get ImageNet weights
        Assert.Equal(1, Count(output, "warning: the ANN branch (resnet18) of model 'respike' starts from scratch"));
        Assert.Contains("respike init --backbone resnet18 --pretrained resnet18.safetensors", output);
        // the summary names the best epoch (by clip top-1) and the last one
        Assert.Contains("best: epoch 1, clip top-1 ", output);
        Assert.Contains("best video top-1: ", output);
        Assert.Contains("last: epoch 1, clip top-1 ", output);
        using (var train = JsonDocument.Parse(File.ReadAllText(dir.File("train.json"))))
        using (var line = JsonDocument.Parse(metrics[0]))
        {
            var t = train.RootElement;
            Assert.Equal(1, t.GetProperty("best_epoch").GetInt32());
            Assert.Equal(line.RootElement.GetProperty("clip_top1").GetDouble(), t.GetProperty("best_clip_top1").GetDouble());
            Assert.Equal(line.RootElement.GetProperty("video_top1").GetDouble(), t.GetProperty("best_video_top1").GetDouble());
            Assert.Equal(1, t.GetProperty("best_video_epoch").GetInt32());
            Assert.Contains("from scratch", Assert.Single(t.GetProperty("warnings").EnumerateArray()).GetString());
        }
        using (var m = JsonDocument.Parse(metrics[0]))
            foreach (var field in new[] { "epoch", "train_loss", "clip_top1", "video_top1", "seconds" })
                Assert.True(m.RootElement.TryGetProperty(field, out _), field);
        // flags override and the effective config is saved beside the run
        using (var cfg = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
        {
            Assert.Equal("adamw", cfg.RootElement.GetProperty("optimizer").GetString());
            Assert.Equal(4, cfg.RootElement.GetProperty("model").GetProperty("frames").GetInt32());
        }

        (code, output, err) = CliHarness.Run([.. new[] { "eval", "--checkpoint", Path.Combine(run, "best.safetensors") }, .. Tiny[..8],
            "--clips", "2", "--crops", "3", "--energy-samples", "2", "--out", dir.File("eval"), "--json", dir.File("eval.json")]);
        Assert.True(code == 0, err + output);
        using var report = JsonDocument.Parse(File.ReadAllText(dir.File("eval.json")));
        var root = report.RootElement;
        foreach (var field in new[] { "clip_top1", "video_top1", "video_top5", "mean_class_acc", "videos", "clips", "skipped" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.Equal(12, root.GetProperty("videos").GetInt32());
        Assert.Equal(12, root.GetProperty("clips").GetInt32());
        Assert.Equal(0, root.GetProperty("skipped").GetInt32());
        Assert.True(root.GetProperty("video_top5").GetDouble() >= root.GetProperty("video_top1").GetDouble());
        Assert.True(File.Exists(dir.File("eval/confusion.csv")));
        Assert.True(File.Exists(dir.File("eval/per_class.csv")));
        Assert.True(root.GetProperty("energy_mj").GetDouble() > 0);
        Assert.InRange(root.GetProperty("firing_rate").GetDouble(), 0, 1);
        foreach (var png in new[] { dir.File("eval/confusion.png"), Path.Combine(run, "loss.png"), Path.Combine(run, "accuracy.png") })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);

        // a training checkpoint (with optimizer state) is a valid input for energy too
        (code, output, err) = CliHarness.Run("energy", "--checkpoint", Path.Combine(run, "last.safetensors"), "--samples", "1", "--layers", "none", "--no-baseline");
        Assert.True(code == 0, err + output);

        // eval reports feed the accuracy-vs-energy plot
        (code, output, err) = CliHarness.Run("energy", "plot", dir.File("eval.json"), "--out", dir.File("acc_energy.png"));
        Assert.True(code == 0, err + output);
        Assert.True(new FileInfo(dir.File("acc_energy.png")).Length > 1000);
    }

    [Fact]
    public void Flags_override_only_their_own_fields_of_a_config_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cfg.json"), """
            { "epochs": 1, "batch_size": 6, "optimizer": "adamw", "learning_rate": 0.001, "evaluate": false,
              "model": { "stride": 2, "frames": 4, "image_size": 32 },
              "data": { "kind": "synthetic", "synthetic_videos_per_class": 2, "synthetic_frames": 4, "synthetic_size": 32 } }
            """);
        var run = dir.File("run");
        var (code, output, err) = CliHarness.Run("train", "--config", dir.File("cfg.json"), "--data-seed", "5", "--seed", "9", "--out", run);
        Assert.True(code == 0, err + output);
        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        var data = saved.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetProperty("synthetic_videos_per_class").GetInt32());   // from the file
        Assert.Equal(5, data.GetProperty("synthetic_seed").GetInt32());               // from the flag
        Assert.Equal(9, saved.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(4, saved.RootElement.GetProperty("model").GetProperty("frames").GetInt32());

        File.WriteAllText(dir.File("bad.json"), "{ \"epochz\": 3 }");
        (code, _, err) = CliHarness.Run("train", "--config", dir.File("bad.json"), "--out", dir.File("run2"));
        Assert.Equal(1, code);
        Assert.Contains("bad.json", err);
    }

    [Fact]
    public void The_snn_variant_has_no_ann_and_gets_no_scratch_warning()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. Tiny, "--model", "snn", "--epochs", "1", "--no-eval", "--out", dir.File("run")]);
        Assert.True(code == 0, err + output);
        output = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        Assert.DoesNotContain("warning", output + err);
        Assert.Contains("best: epoch 1, train loss ", output);   // no evaluation: chosen by training loss
    }

    /// <summary>The repository root: the folder above the test assembly that holds ReSpike.sln.</summary>
    static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ReSpike.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"no ReSpike.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Every_config_in_configs_parses_validates_and_holds_the_papers_recipe()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "configs"), "respike_r50_*.json").Order().ToList();
        Assert.Equal(["respike_r50_16x2_100e_kinetics400.json", "respike_r50_16x4_100e_hmdb51.json", "respike_r50_16x4_100e_ucf101.json"],
            files.Select(Path.GetFileName));
        foreach (var file in files)
        {
            var o = ReSpike.Training.TrainingOptions.FromJsonFile(file).Validate();
            var name = Path.GetFileName(file);
            bool kinetics = name.Contains("kinetics400");
            // spec §6 and the reference's README commands
            Assert.Equal(("sgd", 1e-4, 0.9, 1e-4, 100, 0, 1001), (o.Optimizer, o.LearningRate, o.Momentum, o.WeightDecay, o.Epochs, o.WarmupEpochs, o.Seed));
            Assert.Equal((ReSpike.Models.ModelVariant.ReSpike, "resnet50", 16, 224, ReSpike.Models.FusionMode.Pooled),
                (o.Model.Variant, o.Model.Backbone, o.Model.Frames, o.Model.ImageSize, o.Model.Fusion));
            Assert.Equal(kinetics ? (2, 16, "segments") : (4, 32, "clips"), (o.Model.Stride, o.BatchSize, o.Sampling));
            Assert.Equal((0.08, true, true), (o.MinCropScale, o.HorizontalFlip, o.Evaluate));
            Assert.Equal("resnet50.safetensors", o.Pretrained);
            Assert.Equal(name.Contains("ucf101") ? ReSpike.Data.DatasetKind.Ucf101 : name.Contains("hmdb51") ? ReSpike.Data.DatasetKind.Hmdb51 : ReSpike.Data.DatasetKind.Kinetics400, o.Data.Kind);
            Assert.Contains($"_16x{o.Model.Stride}_{o.Epochs}e_", name);
        }
    }

    [Fact]
    public void Train_accepts_a_recipe_config_and_names_its_missing_imagenet_weights()
    {
        using var dir = new TempDirectory();
        var config = Path.Combine(RepositoryRoot(), "configs", "respike_r50_16x4_100e_ucf101.json");
        var (code, _, err) = CliHarness.Run([.. new[] { "train", "--config", config }, .. Tiny, "--out", dir.File("run")]);
        Assert.Equal(2, code);
        Assert.Contains("--pretrained", err);
        Assert.Contains(Path.GetFullPath("resnet50.safetensors"), err);
        Assert.False(File.Exists(dir.File("run/last.safetensors")));
    }

    static int Count(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public void Reports_with_a_class_without_videos_still_write_their_json()
    {
        using var dir = new TempDirectory();
        ReSpike.Cli.JsonReport.Write(dir.File("r.json"), new { mean_class_acc = 0.5, accuracy = double.NaN });
        Assert.Contains("\"NaN\"", File.ReadAllText(dir.File("r.json")));
    }

    [Theory]
    [InlineData("--sampling", "sometimes", "--sampling")]
    [InlineData("--data-videos", "0", "--data-videos")]
    [InlineData("--frames", "10", "--frames")]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--min-crop-scale", "2", "--min-crop-scale")]
    public void Bad_training_flags_exit_2_naming_the_flag(string flag, string value, string named)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliHarness.Run("train", "--dataset", "synthetic", flag, value, "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.False(File.Exists(dir.File("run/last.safetensors")));
    }

    [Fact]
    public void A_kinetics_training_list_without_a_test_list_is_refused_instead_of_evaluating_on_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("train.txt"), "a.mp4 0\n");
        var (code, _, err) = CliHarness.Run("train", "--dataset", "kinetics400", "--root", dir.Path, "--annotations", dir.File("train.txt"), "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains("--test-annotations", err);
    }

    [Fact]
    public void A_missing_dataset_root_and_a_missing_checkpoint_are_named()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliHarness.Run("train", "--dataset", "ucf101", "--root", dir.File("nope"), "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains("--root", err);
        (code, _, err) = CliHarness.Run("eval", "--checkpoint", dir.File("missing.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("--checkpoint", err);
        File.WriteAllText(dir.File("bad.safetensors"), "garbage");
        (code, _, err) = CliHarness.Run("predict", "--checkpoint", dir.File("bad.safetensors"), dir.File("x.avi"));
        Assert.Equal(1, code);
        Assert.Contains("bad.safetensors", err);
    }

    [Fact]
    public void Eval_follows_the_runs_sampling_and_test_crop_unless_a_flag_overrides_it()
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        string[] data = ["--dataset", "synthetic", "--data-videos", "2", "--data-frames", "9", "--data-size", "32"];
        var (code, output, err) = CliHarness.Run([.. new[] { "train" }, .. data, "--image", "32", "--frames", "4", "--stride", "2", "--batch", "6",
            "--epochs", "1", "--optimizer", "adamw", "--lr", "0.001", "--sampling", "segments", "--train-crop", "multiscale", "--test-crop", "scaled-centre",
            "--out", run]);
        Assert.True(code == 0, err + output);

        (code, output, err) = CliHarness.Run([.. new[] { "eval", "--checkpoint", Path.Combine(run, "last.safetensors") }, .. data,
            "--energy-samples", "0", "--out", dir.File("eval"), "--json", dir.File("eval.json")]);
        Assert.True(code == 0, err + output);
        Assert.Contains("protocol: segments, scaled-centre (training's, from", output); // the path after it may wrap
        using (var report = JsonDocument.Parse(File.ReadAllText(dir.File("eval.json"))))
        {
            Assert.Equal("segments", report.RootElement.GetProperty("sampling").GetString());
            Assert.Equal("scaled-centre", report.RootElement.GetProperty("test_crop").GetString());
            Assert.Equal(12, report.RootElement.GetProperty("clips").GetInt32()); // one TSN clip per video
        }

        (code, output, err) = CliHarness.Run([.. new[] { "eval", "--checkpoint", Path.Combine(run, "last.safetensors") }, .. data,
            "--sampling", "clips", "--test-crop", "centre", "--energy-samples", "0", "--out", dir.File("eval2"), "--json", dir.File("eval2.json")]);
        Assert.True(code == 0, err + output);
        Assert.Contains("overridden by flags", output);
        using (var report = JsonDocument.Parse(File.ReadAllText(dir.File("eval2.json"))))
        {
            Assert.Equal("clips", report.RootElement.GetProperty("sampling").GetString());
            Assert.Equal(24, report.RootElement.GetProperty("clips").GetInt32()); // 9 frames: two consecutive 4-frame clips per video
        }
    }

    [Fact]
    public void A_decode_size_below_the_image_need_exits_2_naming_both_flags_and_help_names_the_crops()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("videos"));
        var (code, _, err) = CliHarness.Run("train", "--dataset", "folder", "--root", dir.File("videos"), "--image", "112", "--short-side", "96", "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains("--short-side 96 is smaller than --image 112 needs (112); pass --short-side 112 or more", err);
        (code, _, err) = CliHarness.Run("train", "--dataset", "folder", "--root", dir.File("videos"), "--image", "112", "--short-side", "112", "--test-crop", "scaled-centre", "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains("--short-side 112 is smaller than --image 112 needs (128, 8/7 of it for --test-crop scaled-centre)", err);
        (code, _, err) = CliHarness.Run("prepare", "--dataset", "folder", "--root", dir.File("videos"), "--image", "224", "--short-side", "128");
        Assert.Equal(2, code);
        Assert.Contains("--short-side 128 is smaller than --image 224 needs (224)", err);

        var (helpCode, help, _) = CliHarness.Run("train", "--help");
        Assert.Equal(0, helpCode);
        foreach (var text in new[] { "--train-crop", "random-resized", "multiscale", "--test-crop", "scaled-centre", "segments:centre" })
            Assert.Contains(text, help);
        (_, help, _) = CliHarness.Run("eval", "--help");
        foreach (var text in new[] { "--sampling", "--test-crop", "config.json" })
            Assert.Contains(text, help);
    }
}
