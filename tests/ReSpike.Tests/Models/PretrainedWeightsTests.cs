using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using ReSpike.Models;
using ReSpike.Models.Backbones;
using ReSpike.Tests.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models;

public class PretrainedWeightsTests
{
    [Fact]
    public void Torchvision_named_weights_load_into_the_ann_and_the_classifier_is_ignored()
    {
        using var dir = new TempDirectory();
        var path = dir.File("resnet18.safetensors");
        torch.manual_seed(9);
        using var imagenet = ResNet.Create("resnet18", 1000);
        // store as F16 like some exported checkpoints: the importer converts to F32
        var half = imagenet.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.is_floating_point() ? kv.Value.to_type(ScalarType.Float16) : kv.Value);
        SafeTensorsWriter.Write(path, half);

        using var net = new ReSpikeNet(new ReSpikeConfig { NumClasses = 4, ImageSize = 64 });
        var report = PretrainedWeights.LoadTorchvision(net, path);
        Assert.Equal(imagenet.state_dict().Count - 2, report.Loaded);
        Assert.Contains("fc.weight", report.Skipped);
        var ours = net.Ann!.state_dict();
        foreach (var (name, value) in half)
            if (!name.StartsWith("fc.")) TensorAssert.Equal(ours[name], value.to_type(ours[name].dtype), name);
    }

    [Fact]
    public void Weights_of_another_depth_are_refused_naming_the_tensors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("resnet50.safetensors");
        using (var resnet50 = ResNet.Create("resnet50", 1000)) StateDict.Save(resnet50, path);
        using var net = new ReSpikeNet(new ReSpikeConfig { Backbone = "resnet18", NumClasses = 4, ImageSize = 64 });
        var error = Assert.Throws<InvalidDataException>(() => PretrainedWeights.LoadTorchvision(net, path));
        Assert.Contains("layer1.0.conv1.weight", error.Message);
        Assert.Contains("[64, 64, 1, 1]", error.Message);  // the resnet50 shape, next to ours
    }

    [Fact]
    public void Snn_only_model_has_nothing_to_import_into()
    {
        using var net = new ReSpikeNet(new ReSpikeConfig { Variant = ModelVariant.Snn, NumClasses = 4, ImageSize = 64 });
        Assert.Contains("no ANN branch", Assert.Throws<InvalidOperationException>(() => PretrainedWeights.LoadTorchvision(net, "x")).Message);
    }

    [RequiresReferenceFact]
    public void Weights_written_by_pytorch_give_torchvisions_features()
    {
        // torchvision builds a resnet18 (seeded), the reference's safetensors writer stores its state_dict and a
        // batch of images with torchvision's eval-mode layer4 features; we import and compare.
        using var dir = new TempDirectory();
        ReferencePython.Run("""
            import sys, torch, torchvision
            sys.path.insert(0, sys.argv[1]); import respike_ref as R
            torch.manual_seed(0)
            net = torchvision.models.resnet18(weights=None).eval()
            with torch.no_grad():
                for m in net.modules():
                    if isinstance(m, torch.nn.BatchNorm2d):
                        m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 1.5)
                x = torch.randn(2, 3, 64, 64)
                trunk = torch.nn.Sequential(*list(net.children())[:-2])
                feats = trunk(x)
            R.save_safetensors(sys.argv[2] + "/tv.safetensors", net.state_dict())
            R.save_safetensors(sys.argv[2] + "/io.safetensors", {"x": x, "features": feats})
            """, ReferencePython.ReferenceDirectory!, dir.Path);
        using var net = new ReSpikeNet(new ReSpikeConfig { NumClasses = 4, ImageSize = 64 });
        PretrainedWeights.LoadTorchvision(net, dir.File("tv.safetensors"));
        net.eval();
        var io = SafeTensorsFile.Open(dir.File("io.safetensors"));
        using var x = io.Read("x");
        using var expected = io.Read("features");
        using var _ = torch.no_grad();
        var stages = net.Ann!.Stages(x);
        double err = (stages[3] - expected).abs().max().item<float>() / expected.abs().max().item<float>();
        Assert.True(err < 1e-5, $"rel err {err:E2}");
    }
}
