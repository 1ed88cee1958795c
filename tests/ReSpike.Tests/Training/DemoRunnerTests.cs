using ReSpike.Demo;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

public class DemoRunnerTests
{
    [Fact]
    public void The_demo_trains_and_scores_both_models_in_their_own_run_folders()
    {
        using var dir = new TempDirectory();
        var settings = new DemoSettings { OutputDirectory = dir.Path, Epochs = 1, VideosPerClass = 2, Frames = 4, Stride = 2, BatchSize = 6, EnergySamples = 3 };
        var seen = new List<string>();
        var observer = new NullObserver();
        var result = DemoRunner.Run(settings, label => { seen.Add(label); return observer; });
        // both models train from scratch on purpose: the demo keeps its output free of the ImageNet warning
        Assert.Empty(observer.Warnings);

        Assert.Equal(["respike", "ann"], seen);
        foreach (var m in new[] { result.Hybrid, result.Ann })
        {
            Assert.True(File.Exists(Path.Combine(m.RunDirectory, "best.safetensors")), m.Model);
            Assert.Single(File.ReadAllLines(Path.Combine(m.RunDirectory, "metrics.jsonl")));
            Assert.InRange(m.VideoTop1, 0, 1);
            // 4 motion-only and 2 appearance classes, equally many videos: overall = weighted mean of the groups
            Assert.Equal((4 * m.MotionOnlyTop1 + 2 * m.AppearanceTop1) / 6, m.VideoTop1, 9);
            Assert.True(m.EnergyMj > 0, $"{m.Model}: energy {m.EnergyMj}");
        }
        // the hybrid adds the SNN and fusion on top of the same key-frame ANN, so it costs more than the ANN alone
        Assert.True(result.Hybrid.EnergyMj > result.Ann.EnergyMj);
        Assert.Equal("ann", result.Ann.Model);
        // a rerun replaces the demo's own folders instead of refusing to overwrite them: what the first run left is gone
        foreach (var m in new[] { result.Hybrid, result.Ann }) File.WriteAllText(Path.Combine(m.RunDirectory, "stale.txt"), "from the first run");
        var rerun = DemoRunner.Run(settings with { EnergySamples = 0 }, _ => new NullObserver());
        foreach (var (before, after) in new[] { (result.Hybrid, rerun.Hybrid), (result.Ann, rerun.Ann) })
        {
            Assert.Equal(before.RunDirectory, after.RunDirectory);
            Assert.False(File.Exists(Path.Combine(after.RunDirectory, "stale.txt")), $"{after.Model}: the old folder was not replaced");
            Assert.True(File.Exists(Path.Combine(after.RunDirectory, "best.safetensors")), after.Model);
            Assert.Single(File.ReadAllLines(Path.Combine(after.RunDirectory, "metrics.jsonl")));   // a fresh run, not appended to
            Assert.Null(after.EnergyMj);                                                           // --energy-samples 0
        }
    }

    [Fact]
    public void The_demo_refuses_to_replace_a_folder_it_did_not_make()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "respike"));
        File.WriteAllText(Path.Combine(dir.Path, "respike", "thesis.tex"), "precious");
        var e = Assert.Throws<IOException>(() => DemoRunner.Run(new DemoSettings { OutputDirectory = dir.Path, Epochs = 1, VideosPerClass = 1 }, _ => new NullObserver()));
        Assert.Contains("--out", e.Message);
        Assert.True(File.Exists(Path.Combine(dir.Path, "respike", "thesis.tex")));
    }

    sealed class NullObserver : ITrainingObserver
    {
        public List<TrainingWarning> Warnings { get; } = [];
        public void Warning(TrainingWarning warning) => Warnings.Add(warning);
    }
}
