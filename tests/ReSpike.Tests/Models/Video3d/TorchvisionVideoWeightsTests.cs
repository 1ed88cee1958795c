using ReSpike.Models;
using ReSpike.Models.Video3d;
using ReSpike.Tests.IO;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.Video3d;

/// <summary>--pretrained for the video ResNets: state dicts that torch.save writes (torchvision's Kinetics-400 files are such).</summary>
public class TorchvisionVideoWeightsTests
{
    [RequiresTorchvisionFact]
    public void A_state_dict_torchvision_writes_loads_by_name_without_its_classifier()
    {
        using var dir = new TempDirectory();
        var path = dir.File("r2plus1d_18.pth");
        // a fresh torchvision model as Debian's torchvision builds it, saved as its Kinetics-400 files are
        var stdout = ReferencePython.Run(
            "import sys, torch, torchvision.models.video as v; torch.set_num_threads(1); torch.manual_seed(3); m = v.r2plus1d_18(); " +
            "torch.save(m.state_dict(), sys.argv[1]); sd = m.state_dict(); " +
            "print(len(sd), repr(float(sd['layer3.1.conv2.0.3.weight'].double().sum())), repr(float(sd['stem.0.weight'].flatten()[5])))", path);
        var fields = stdout.Trim().Split(' ');

        using var net = ModelRegistry.Create(new ReSpikeConfig { Name = "r2plus1d-18", NumClasses = 101, Stride = 1 });
        var report = PretrainedWeights.LoadTorchvision(net, path);
        Assert.Equal(int.Parse(fields[0], CultureInfo.InvariantCulture) - 2, report.Loaded);
        Assert.Equal(["fc.bias", "fc.weight"], report.Skipped.Order());
        var state = net.state_dict();
        Assert.Equal(double.Parse(fields[1], CultureInfo.InvariantCulture), state["layer3.1.conv2.0.3.weight"].to_type(ScalarType.Float64).sum().item<double>(), 1e-6);
        Assert.Equal(double.Parse(fields[2], CultureInfo.InvariantCulture), state["stem.0.weight"].flatten()[5].item<float>(), 1e-7);
    }

    [RequiresTorchvisionFact]
    public void Weights_of_another_network_are_refused_naming_the_tensors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("r3d_18.pth");
        ReferencePython.Run("import sys, torch, torchvision.models.video as v; torch.save(v.r3d_18().state_dict(), sys.argv[1])", path);
        using var net = ModelRegistry.Create(new ReSpikeConfig { Name = "mc3-18", NumClasses = 400, Stride = 1 });
        var error = Assert.Throws<InvalidDataException>(() => PretrainedWeights.LoadTorchvision(net, path));
        // MC3's stage 2-4 convs are 1x3x3; R3D's are 3x3x3
        Assert.Contains("layer2.0.conv1.0.weight", error.Message);
    }

    [Fact]
    public void A_file_that_is_no_pickle_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("not-weights.pth");
        File.WriteAllText(path, "hello");
        using var net = ModelRegistry.Create(new ReSpikeConfig { Name = "r3d-18", NumClasses = 4, Stride = 1 });
        var error = Assert.Throws<InvalidDataException>(() => PretrainedWeights.LoadTorchvision(net, path));
        Assert.Contains("not-weights.pth", error.Message);
        Assert.Contains("torch.save", error.Message);
    }
}
