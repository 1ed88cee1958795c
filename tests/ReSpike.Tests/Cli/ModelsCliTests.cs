using System.Text.Json;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Tests.Registry;

namespace ReSpike.Tests.Cli;

public class ModelsCliTests
{
    // independent of the registry: the reference's and torchvision's counts (ParameterCountTests) plus the head for 101 classes
    const long ResNet18Trunk = 11_689_512 - (512 * 1000 + 1000);   // torchvision resnet18 without its ImageNet fc
    const long MsResNet = 11_173_056;                                // the spiking backbone
    static long Head(long features) => features * 101 + 101;

    [Fact]
    public void Models_json_lists_every_registered_model_with_its_exact_parameter_count_at_the_defaults()
    {
        TinyClipModel.EnsureRegistered();
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run("models", "--json", dir.File("models.json"));
        Assert.True(code == 0, output + err);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("models.json")));
        var defaults = doc.RootElement.GetProperty("defaults");
        Assert.Equal(101, defaults.GetProperty("classes").GetInt32());
        Assert.Equal("resnet18", defaults.GetProperty("backbone").GetString());
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(ModelRegistry.Models.Names.Order(), models.Keys.Order());

        long Params(string name) => models[name].GetProperty("parameters").GetInt64();
        Assert.Equal(30_081_523 + 50 * (512 + 512 + 1), Params("respike"));    // respike_ref.py at 51 classes, 50 more head rows
        Assert.Equal(ResNet18Trunk + MsResNet + Head(512 + 512), Params("respike-noattn"));
        Assert.Equal(ResNet18Trunk + Head(512), Params("ann"));
        Assert.Equal(MsResNet + Head(512), Params("snn"));
        Assert.Equal(3 * 8 * 9 + 8 + Head(8), Params(TinyClipModel.Name));      // the model registered by this test assembly
        Assert.Equal("hybrid", models["respike"].GetProperty("family").GetString());
        Assert.Equal("key frames + residuals", models["respike"].GetProperty("inputs").GetString());
        Assert.False(string.IsNullOrEmpty(models["snn"].GetProperty("energy_convention").GetString()));
        // the table says the same
        Assert.Contains("30,132,773", output);
        Assert.Contains("101 classes", output);
    }

    [Theory]
    [InlineData("--model", "r3d18", "respike, respike-noattn, ann, snn")]
    [InlineData("--backbone", "vgg16", "resnet18, resnet34, resnet50, resnet101, resnet152")]
    [InlineData("--optimizer", "lion", "sgd, adamw")]
    [InlineData("--schedule", "step", "cosine")]
    [InlineData("--dataset", "imagenet", "synthetic, ucf101, hmdb51, kinetics400, folder, rawframes")]
    [InlineData("--sampling", "uniform:0", "clips, segments, segments:centre, uniform:N")]
    public void An_unregistered_choice_is_a_parse_error_listing_the_choices(string flag, string value, string choices)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliHarness.Run("train", flag, value, "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains(flag, err);
        Assert.Contains(choices, err.ReplaceLineEndings(" ").Replace("'", "").Replace("\t", " "));
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void Help_lists_the_registered_choices_with_their_descriptions()
    {
        var (code, output, _) = CliHarness.Run("train", "--help");
        Assert.Equal(0, code);
        var flat = string.Join(" ", output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var entry in ModelRegistry.Models.Entries)
            Assert.Contains($"{entry.Name} ({entry.Description})", flat);
        Assert.Contains("adamw (", flat);
    }
}
