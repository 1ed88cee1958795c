using ReSpike.IO;
using ReSpike.Models;
using ReSpike.Tests.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

public class CheckpointTests
{
    static readonly ReSpikeConfig Small = new() { Backbone = "resnet18", NumClasses = 3, Stride = 2, Frames = 4, ImageSize = 64 };

    [Fact]
    public void Round_trip_restores_config_class_names_and_outputs()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        torch.manual_seed(3);
        using var net = new ReSpikeNet(Small);
        net.train();
        using (var warm = torch.randn(new long[] { 2, 4, 3, 64, 64 })) net.call(warm).Dispose(); // move BN running stats off their defaults
        net.eval();
        Checkpoint.Save(net, path, ["run", "walk", "wave"]);
        Assert.Equal(["model.safetensors"], dir.FileNames()); // no temp file left

        using var loaded = Checkpoint.Load(path);
        loaded.eval();
        Assert.Equal(Small, loaded.Config);
        Assert.Equal(["run", "walk", "wave"], Checkpoint.ReadClassNames(path));
        using var clip = torch.randn(new long[] { 1, 4, 3, 64, 64 });
        using var _ = torch.no_grad();
        TensorAssert.Equal(net.call(clip), loaded.call(clip));
    }

    [Fact]
    public void Loading_for_another_config_says_which_settings_differ()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        using (var net = new ReSpikeNet(Small)) Checkpoint.Save(net, path);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, Small with { Stride = 4, NumClasses = 5 }));
        Assert.Contains("classes: 3 in checkpoint vs 5 requested", error.Message);
        Assert.Contains("stride: 2 in checkpoint vs 4 requested", error.Message);
        Assert.DoesNotContain("backbone", error.Message);
    }

    [Fact]
    public void Corrupt_or_foreign_files_give_clear_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        using (var net = new ReSpikeNet(Small)) Checkpoint.Save(net, path);
        var truncated = dir.File("truncated.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsAny<InvalidDataException>(() => Checkpoint.Load(truncated));
        Assert.Contains("truncated.safetensors", error.Message);

        var foreign = dir.File("plain.safetensors");
        using (var resnet = ReSpike.Models.Backbones.ResNet.Create("resnet18")) StateDict.Save(resnet, foreign);
        Assert.Contains("not a ReSpike checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(foreign)).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(dir.File("none"))).Message);
    }
}
