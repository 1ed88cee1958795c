using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ReSpike.Models;
using ReSpike.Spiking.Neurons;
using ReSpike.Tests.IO;
using ReSpike.Training;
using ReSpike.Training.Hooks;

namespace ReSpike.Tests.Training;

public class TrainingHookTests
{
    /// <summary>Writes down every call with the numbers the context holds at that moment.</summary>
    sealed class Recorder : ITrainingHook
    {
        public List<string> Calls { get; } = [];

        public void BeforeRun(TrainingContext c) => Calls.Add($"before-run {c.Epoch} {c.GlobalStep}");
        public void BeforeEpoch(TrainingContext c) => Calls.Add($"before-epoch {c.Epoch} {c.Step}/{c.Batches}");
        public void AfterStep(TrainingContext c) =>
            Calls.Add($"step {c.Epoch} {c.Step}/{c.Batches} global {c.GlobalStep} seen {c.State.Seen} clips {c.LastStep!.Clips}");
        public void AfterEpoch(TrainingContext c) =>
            Calls.Add($"epoch {c.Metrics!.Epoch} history {c.History.Count} next {c.State.Epoch} {(File.Exists(c.Files.Metrics) ? File.ReadAllLines(c.Files.Metrics).Length : -1)}");
        public void AfterRun(TrainingContext c) => Calls.Add($"after-run {c.Outcome}");
    }

    [Fact]
    public void A_custom_hook_sees_the_run_start_each_step_and_epoch_and_the_end_in_order()
    {
        using var dir = new TempDirectory();
        // 6 classes x 2 videos = 12 clips, batch 6: 2 steps per epoch
        var trainer = new Trainer(TinyRuns.Options(epochs: 2, videosPerClass: 2) with { Evaluate = false }, dir.Path);
        var recorder = new Recorder();
        trainer.Hooks.Add(recorder);
        var result = trainer.Run();

        Assert.Equal(
        [
            "before-run 0 0",
            "before-epoch 0 0/2",
            "step 0 1/2 global 1 seen 6 clips 6",
            "step 0 2/2 global 2 seen 12 clips 6",
            "epoch 1 history 1 next 1 1",   // after the default hooks: metrics.jsonl already has the epoch
            "before-epoch 1 0/2",
            "step 1 1/2 global 3 seen 6 clips 6",
            "step 1 2/2 global 4 seen 12 clips 6",
            "epoch 2 history 2 next 2 2",
            "after-run Completed",
        ], recorder.Calls);
        Assert.False(result.Interrupted);
    }

    [Fact]
    public void A_run_stopped_in_epoch_2_has_curves_run_log_lines_and_firing_rate_scalars_of_epoch_1()
    {
        using var dir = new TempDirectory();
        var options = TinyRuns.Options(epochs: 2, videosPerClass: 2) with { Evaluate = false, LogEvery = 1 };
        var recorder = new Recorder();
        TrainingResult result;
        using (var cancel = new CancellationTokenSource())
        {
            var trainer = new Trainer(options, dir.Path, new TinyRuns.CancelAfter(3, cancel));
            trainer.Hooks.Add(recorder);
            result = trainer.Run(cancel: cancel.Token);
        }
        Assert.True(result.Interrupted);
        Assert.Single(result.Epochs);
        Assert.Equal("after-run Interrupted", recorder.Calls[^1]);
        // curves are drawn after every epoch, not only at the end of a run
        foreach (var png in new[] { result.Files.LossCurve, result.Files.AccuracyCurve })
            Assert.True(File.Exists(png) && new FileInfo(png).Length > 0, $"{Path.GetFileName(png)} missing after epoch 1");

        // run.log: one interval line per step (log_every 1), with every field parseable
        var pattern = new Regex(@"^\S+Z epoch=(\d+)/2 step=(\d+)/2 loss=(\S+) lr=(\S+) clips_per_s=(\S+) data_wait_s=(\S+) rss_mb=(\S+) eta=(\d\d):(\d\d):(\d\d)$");
        var lines = File.ReadAllLines(result.Files.RunLog).Select(l => pattern.Match(l)).Where(m => m.Success).ToList();
        Assert.Equal([(1, 1), (1, 2), (2, 1)], lines.Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))));
        static double D(Match m, int g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        foreach (var m in lines)
        {
            Assert.True(D(m, 3) > 0 && double.IsFinite(D(m, 3)), m.Value);
            // cosine over 2 epochs: the base rate, then half of it
            Assert.Equal(m.Groups[1].Value == "1" ? options.LearningRate : options.LearningRate / 2, D(m, 4), 9);
            Assert.True(D(m, 5) > 0, m.Value);
            Assert.True(D(m, 6) >= 0, m.Value);
            if (OperatingSystem.IsLinux()) Assert.True(D(m, 7) > 10, m.Value);   // a process with libtorch loaded holds more than 10 MiB
        }
        Assert.Contains(File.ReadAllLines(result.Files.RunLog), l => l.Contains(" epoch=1/2 done train_loss="));

        // TensorBoard: one firing-rate series per spiking layer and the overall rate, and the per-step scalars
        var events = Directory.GetFiles(result.Files.TensorBoard, "events.out.tfevents.*");
        var text = string.Concat(events.Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        var tags = Regex.Matches(text, @"firing_rate/[A-Za-z0-9_.]+").Select(m => m.Value).ToHashSet();
        using var net = ModelRegistry.Create(options.Model);
        var layers = net.named_modules().Where(m => m.module is BaseNode).Select(m => "firing_rate/" + m.name).ToList();
        Assert.NotEmpty(layers);
        Assert.Contains("firing_rate/overall", tags);
        foreach (var layer in layers) Assert.Contains(layer, tags);
        foreach (var tag in new[] { "step/loss", "step/lr", "step/clips_per_s", "step/data_wait_s", "train/loss" })
            Assert.Contains(tag, text);
    }
}
