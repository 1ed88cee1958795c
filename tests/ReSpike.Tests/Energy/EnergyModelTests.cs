using ReSpike.Energy;

namespace ReSpike.Tests.Energy;

public class EnergyModelTests
{
    [Theory]
    [InlineData("fp32", 4.6, 0.9)]
    [InlineData("fp16", 1.5, 0.4)]
    [InlineData("int32", 3.2, 0.1)]
    [InlineData("int8", 0.23, 0.03)]
    public void Horowitz_45nm_constants_per_precision(string name, double mac, double ac)
    {
        var model = EnergyModel.Parse(name);
        Assert.Equal(mac, model.MacPicojoules, 12);
        Assert.Equal(ac, model.AcPicojoules, 12);
    }

    [Fact]
    public void Millijoules_of_the_papers_resnet18_row()
    {
        // Table 3: 29.22 GFLOPs (MACs) -> 134.40 mJ at 4.6 pJ
        Assert.Equal(134.412, EnergyModel.Fp32.Millijoules(29.22e9, 0), 9);
        Assert.Equal(0.9, EnergyModel.Fp32.Millijoules(0, 1e9), 12);
        Assert.Equal(68.30, EnergyModel.Fp32.Millijoules((7.25 + 7.22) * 1e9, 1.93e9), 2);
    }

    [Fact]
    public void Unknown_precision_names_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => EnergyModel.Parse("bf16"));
        Assert.Contains("fp32, fp16, int32, int8", e.Message);
    }
}
