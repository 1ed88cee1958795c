using ReSpike.Data;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

/// <summary>`train`'s rules between flags, a config file and --resume, as the library call the CLI makes.</summary>
public class TrainingInvocationTests
{
    static readonly DatasetSpec FlagData = new() { Kind = DatasetKind.Synthetic, SyntheticVideosPerClass = 7 };

    /// <summary>What the CLI passes: the dataset flags alone, or applied over the file's dataset.</summary>
    static DatasetSpec Data(DatasetSpec? fromFile) => fromFile is null ? FlagData : fromFile with { SyntheticFrames = 5 };

    static string WriteConfig(TempDirectory dir, string name, TrainingOptions options)
    {
        var path = dir.File(name);
        File.WriteAllText(path, options.ToJson());
        return path;
    }

    [Fact]
    public void Without_a_file_the_defaults_take_the_flags_and_the_dataset_comes_from_the_flags_alone()
    {
        using var dir = new TempDirectory();
        var options = TrainingInvocation.Resolve(null, resume: false, new RunFiles(dir.File("run")), new TrainingFlags { Epochs = 3 }, Data);
        Assert.Equal(new TrainingOptions { Epochs = 3, Data = FlagData }, options);
    }

    [Fact]
    public void Given_flags_override_the_config_file_and_the_rest_comes_from_it()
    {
        using var dir = new TempDirectory();
        var file = new TrainingOptions
        {
            Model = new ReSpikeConfig { Frames = 8, Stride = 2, ImageSize = 64 }, Epochs = 20, LearningRate = 0.1, Seed = 5,
            HorizontalFlip = false, Data = new DatasetSpec { Kind = DatasetKind.Synthetic, SyntheticVideosPerClass = 2 },
        };
        var path = WriteConfig(dir, "c.json", file);
        var flags = new TrainingFlags
        {
            Model = new ConfigOverrides { Frames = 16, Fusion = FusionMode.Full }, Epochs = 1, TestCrop = TestCrop.ScaledCentre, NoEval = true,
        };
        var options = TrainingInvocation.Resolve(path, resume: false, new RunFiles(dir.File("run")), flags, Data);
        Assert.Equal(file with
        {
            Model = file.Model with { Frames = 16, Fusion = FusionMode.Full },
            Epochs = 1, TestCrop = TestCrop.ScaledCentre, Evaluate = false,
            Data = file.Data with { SyntheticFrames = 5 },   // the dataset flags apply over the file's dataset
        }, options);
        Assert.False(options.HorizontalFlip);   // --no-flip not given does not turn the file's "no flip" back on
    }

    [Fact]
    public void Resume_starts_from_the_runs_own_config_unless_a_config_file_is_given()
    {
        using var dir = new TempDirectory();
        var run = new RunFiles(dir.File("run"));
        Directory.CreateDirectory(run.Directory);
        File.WriteAllText(run.Config, new TrainingOptions { Epochs = 12, BatchSize = 3 }.ToJson());
        var other = WriteConfig(dir, "other.json", new TrainingOptions { Epochs = 30 });

        Assert.Equal(run.Config, TrainingInvocation.BaseFile(null, resume: true, run));
        Assert.Equal(other, TrainingInvocation.BaseFile(other, resume: true, run));
        Assert.Null(TrainingInvocation.BaseFile(null, resume: false, run));   // a fresh run never reads an old config.json

        var resumed = TrainingInvocation.Resolve(null, resume: true, run, new TrainingFlags { Epochs = 14 }, Data);
        Assert.Equal((14, 3), (resumed.Epochs, resumed.BatchSize));
        Assert.Equal(new TrainingOptions().Data with { SyntheticFrames = 5 }, resumed.Data);

        Assert.Null(TrainingInvocation.BaseFile(null, resume: true, new RunFiles(dir.File("empty"))));   // nothing to resume from: defaults
    }
}
