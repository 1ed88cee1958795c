using ReSpike.Models;
using ReSpike.Models.Backbones;
using ReSpike.Models.Snn;

namespace ReSpike.Tests.Models;

public class ParameterCountTests
{
    static long Count(TorchSharp.torch.nn.Module module) => module.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData("resnet50", 44_580_339)] // respike_ref.py params --backbone resnet50 --classes 51
    [InlineData("resnet18", 30_081_523)] // respike_ref.py params --backbone resnet18 --classes 51
    public void ReSpike_matches_the_reference_exactly(string backbone, long expected)
    {
        using var net = new ReSpikeNet(new ReSpikeConfig { Backbone = backbone, NumClasses = 51 });
        Assert.Equal(expected, Count(net));
    }

    [Theory]
    [InlineData("resnet18", 11_689_512)]   // torchvision with its 1000-class fc
    [InlineData("resnet34", 21_797_672)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("resnet101", 44_549_160)]
    [InlineData("resnet152", 60_192_808)]
    public void ResNet_matches_torchvision(string architecture, long expected)
    {
        using var net = ResNet.Create(architecture, 1000);
        Assert.Equal(expected, Count(net));
    }

    [Fact]
    public void Snn_backbone_has_the_published_size()
    {
        using var snn = new MSResNet();
        Assert.Equal(11_173_056, Count(snn)); // spec section 3
    }
}
