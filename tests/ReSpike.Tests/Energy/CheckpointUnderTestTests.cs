using ReSpike.Data;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Tests.IO;
using TorchSharp;

namespace ReSpike.Tests.Energy;

/// <summary>The checkpoint override rule of `respike energy`, now a library call, and the test-set measurement it feeds.</summary>
public class CheckpointUnderTestTests
{
    static readonly ReSpikeConfig Saved = new() { Backbone = "resnet18", NumClasses = 6, Stride = 2, Frames = 4, ImageSize = 32 };

    static string SaveCheckpoint(TempDirectory dir, IReadOnlyList<string>? classNames = null)
    {
        var path = dir.File("m.safetensors");
        torch.manual_seed(5);
        using var net = new ReSpikeNet(Saved);
        Checkpoint.Save(net, path, classNames);
        return path;
    }

    [Fact]
    public void Input_settings_override_the_saved_ones_and_the_rest_comes_from_the_checkpoint()
    {
        using var dir = new TempDirectory();
        var path = SaveCheckpoint(dir);
        Assert.Equal(Saved, CheckpointUnderTest.Config(path, new ConfigOverrides()));
        var config = CheckpointUnderTest.Config(path, new ConfigOverrides { ImageSize = 64, Frames = 8, Stride = 4 });
        Assert.Equal(Saved with { ImageSize = 64, Frames = 8, Stride = 4 }, config);

        // the weights load into the network of the new input shape
        using var net = Checkpoint.LoadAs(path, config);
        using var saved = Checkpoint.Load(path);
        foreach (var (name, tensor) in saved.state_dict()) TensorAssert.Equal(tensor, net.state_dict()[name]);
    }

    [Theory]
    [InlineData("--model")]
    [InlineData("--backbone")]
    [InlineData("--classes")]
    [InlineData("--fusion")]
    public void Architecture_settings_are_fixed_by_the_checkpoint(string flag)
    {
        using var dir = new TempDirectory();
        var path = SaveCheckpoint(dir);
        var given = flag switch
        {
            "--model" => new ConfigOverrides { Name = "ann" },
            "--backbone" => new ConfigOverrides { Backbone = "resnet34" },
            "--classes" => new ConfigOverrides { NumClasses = 6 },   // even the same value: the flag has no say
            _ => new ConfigOverrides { Fusion = FusionMode.Full },
        };
        var error = Assert.Throws<ArgumentException>(() => CheckpointUnderTest.Config(path, given with { ImageSize = 64 }));
        Assert.Equal($"{flag}: the architecture comes from --checkpoint; drop {flag}", error.Message);
    }

    [Fact]
    public void An_invalid_input_override_names_its_flag()
    {
        using var dir = new TempDirectory();
        var path = SaveCheckpoint(dir);
        var error = Assert.Throws<ArgumentException>(() => CheckpointUnderTest.Config(path, new ConfigOverrides { Frames = 5 }));
        Assert.StartsWith("--frames:", error.Message);
    }

    [Fact]
    public void Energy_on_the_test_set_warns_when_the_checkpoint_classes_are_not_the_datasets()
    {
        using var dir = new TempDirectory();
        var path = SaveCheckpoint(dir, ["a", "b", "c", "d", "e", "f"]);
        using var net = Checkpoint.Load(path);
        var spec = new DatasetSpec { Kind = DatasetKind.Synthetic, SyntheticVideosPerClass = 1, SyntheticFrames = 4, SyntheticSize = 32, CacheDirectory = null };
        var warnings = new List<string>();
        var report = EnergyAnalysis.OnTestSet(net, spec, new EnergyAnalysisOptions { Samples = 2, Baseline = false, Checkpoint = path }, warnings.Add);
        Assert.Equal(["the checkpoint's classes differ from the dataset's; firing rates are still measured on its clips"], warnings);
        Assert.StartsWith("test clips of ", report.Input);
        Assert.True(report.EnergyMj > 0);
    }
}
