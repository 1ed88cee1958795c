using ReSpike.IO;
using ReSpike.IO.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.IO;

public class StateDictTests
{
    /// <summary>Conv + BatchNorm (with non-default running stats) + Linear, initialised from a seed.</summary>
    static nn.Module<Tensor, Tensor> Model(int seed, bool withHead = true)
    {
        torch.manual_seed(seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv", nn.Conv2d(3, 4, 3)),
            ("bn", nn.BatchNorm2d(4)),
        };
        if (withHead) layers.Add(("fc", nn.Linear(4, 2)));
        var model = nn.Sequential(layers.ToArray());
        var state = model.state_dict();
        using (torch.no_grad())
        {
            using var mean = torch.randn(4);
            using var variance = torch.rand(4);
            state["bn.running_mean"].copy_(mean);
            state["bn.running_var"].copy_(variance);
            state["bn.num_batches_tracked"].fill_(seed * 7);
        }
        return model;
    }

    /// <summary>A copy of the model's state that the test may change and dispose without touching the model.</summary>
    static OwnedTensors Snapshot(nn.Module model) =>
        new(model.state_dict().Select(kv => KeyValuePair.Create(kv.Key, kv.Value.detach().clone())));

    static string SaveTensors(TempDirectory dir, Dictionary<string, Tensor> tensors)
    {
        var path = dir.File("weights.safetensors");
        SafeTensorsWriter.Write(path, tensors);
        return path;
    }

    static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var (e, a) = (expected.state_dict(), actual.state_dict());
        Assert.Equal(e.Keys.Order(), a.Keys.Order());
        foreach (var name in e.Keys)
        {
            Assert.Equal(e[name].dtype, a[name].dtype);
            TensorAssert.Equal(e[name], a[name], name);
        }
    }

    /// <summary>
    /// Models of two seeds differ in every entry the seed sets (all but BatchNorm's affine weight 1 and bias 0), so a
    /// load that did nothing cannot pass <see cref="AssertSameState"/>.
    /// </summary>
    static void AssertDifferentState(nn.Module a, nn.Module b)
    {
        var (x, y) = (a.state_dict(), b.state_dict());
        var seeded = x.Keys.Where(n => n is not ("bn.weight" or "bn.bias")).ToList();
        Assert.Equal(7, seeded.Count);
        foreach (var name in seeded) TensorAssert.NotEqual(x[name], y[name], name);
    }

    [Fact]
    public void State_dict_holds_parameters_and_batchnorm_buffers()
    {
        using var model = Model(1);
        Assert.Equal(
            new[] { "bn.bias", "bn.num_batches_tracked", "bn.running_mean", "bn.running_var", "bn.weight", "conv.bias", "conv.weight", "fc.bias", "fc.weight" },
            model.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Saved_file_loads_exactly_in_place()
    {
        using var dir = new TempDirectory();
        using var source = Model(1);
        using var target = Model(2);
        var path = dir.File("model.safetensors");
        StateDict.Save(source, path, new Dictionary<string, string> { ["arch"] = "test" });
        var parameters = target.named_parameters().ToList();
        AssertDifferentState(source, target);   // else the equality below would prove nothing

        var report = StateDict.LoadFile(target, path);

        Assert.Equal(9, report.Loaded);
        Assert.Empty(report.Skipped);
        Assert.Empty(report.Missing);
        AssertSameState(source, target);
        Assert.Equal(7L, target.state_dict()["bn.num_batches_tracked"].item<long>());
        Assert.Equal(ScalarType.Int64, target.state_dict()["bn.num_batches_tracked"].dtype);
        // the module's parameter objects were filled, not replaced, and still train
        foreach (var (name, parameter) in parameters)
        {
            Assert.Same(parameter, target.named_parameters().Single(p => p.name == name).parameter);
            Assert.True(parameter.requires_grad, name);
            TensorAssert.Equal(source.state_dict()[name], parameter, name);
        }
        Assert.Equal("test", SafeTensorsFile.Open(path).Metadata["arch"]);
    }

    [Fact]
    public void Loads_from_a_dictionary_too()
    {
        using var source = Model(1);
        using var target = Model(2);
        AssertDifferentState(source, target);
        var report = StateDict.Load(target, source.state_dict());
        Assert.Equal(9, report.Loaded);
        AssertSameState(source, target);
    }

    [Fact]
    public void Missing_key_is_named_and_nothing_is_loaded()
    {
        using var dir = new TempDirectory();
        using var source = Model(1);
        using var target = Model(2);
        using var untouched = Model(2);
        using var tensors = Snapshot(source);
        tensors.Replace("bn.running_mean", null);
        var error = Assert.Throws<InvalidDataException>(() => StateDict.LoadFile(target, SaveTensors(dir, tensors)));
        Assert.Contains("1 missing key (in the model, not in the file):\n    bn.running_mean", error.Message);
        Assert.Contains("weights.safetensors", error.Message);
        Assert.DoesNotContain("unexpected", error.Message);
        AssertSameState(untouched, target);
    }

    [Fact]
    public void Unexpected_key_is_named()
    {
        using var dir = new TempDirectory();
        using var source = Model(1);
        using var target = Model(2);
        using var tensors = Snapshot(source);
        tensors["head.extra.weight"] = torch.zeros(3);
        var error = Assert.Throws<InvalidDataException>(() => StateDict.LoadFile(target, SaveTensors(dir, tensors)));
        Assert.Contains("1 unexpected key (in the file, not in the model):\n    head.extra.weight", error.Message);
        Assert.DoesNotContain("missing", error.Message);
    }

    [Fact]
    public void Shape_mismatch_names_the_key_and_both_shapes()
    {
        using var dir = new TempDirectory();
        using var source = Model(1);
        using var target = Model(2);
        using var tensors = Snapshot(source);
        tensors.Replace("conv.weight", torch.zeros(4, 3, 5, 5));
        var error = Assert.Throws<InvalidDataException>(() => StateDict.LoadFile(target, SaveTensors(dir, tensors)));
        Assert.Contains("conv.weight: file [4, 3, 5, 5] vs model [4, 3, 3, 3]", error.Message);
    }

    [Fact]
    public void Float_into_integer_buffer_is_a_mismatch()
    {
        using var source = Model(1);
        using var target = Model(2);
        using var tensors = Snapshot(source);
        tensors.Replace("bn.num_batches_tracked", torch.tensor(7.5f));
        var error = Assert.Throws<InvalidDataException>(() => StateDict.Load(target, tensors));
        Assert.Contains("bn.num_batches_tracked: file dtype Float32 vs model dtype Int64", error.Message);
    }

    [Fact]
    public void Many_problems_show_the_count_and_the_first_ten()
    {
        using var target = Model(2);
        using var tensors = Snapshot(target);
        for (int i = 0; i < 12; i++) tensors[$"extra{i:D2}"] = torch.zeros(1);
        var error = Assert.Throws<InvalidDataException>(() => StateDict.Load(target, tensors));
        Assert.Contains("12 unexpected keys", error.Message);
        Assert.Contains("extra09", error.Message);
        Assert.DoesNotContain("extra10", error.Message);
        Assert.Contains("... and 2 more", error.Message);
    }

    [Fact]
    public void Float16_file_loads_into_a_float32_model()
    {
        using var dir = new TempDirectory();
        using var source = Model(1);
        using var target = Model(2);
        using var tensors = Snapshot(source);
        foreach (var name in tensors.Keys.Where(n => tensors[n].is_floating_point()).ToList())
            tensors.Replace(name, tensors[name].to(ScalarType.Float16));
        var path = SaveTensors(dir, tensors);
        Assert.Equal(SafeTensorsDType.F16, SafeTensorsFile.Open(path).Entry("conv.weight").DType);
        StateDict.LoadFile(target, path);
        var state = target.state_dict();
        foreach (var (name, half) in tensors)
        {
            Assert.Equal(half.is_floating_point() ? ScalarType.Float32 : ScalarType.Int64, state[name].dtype);
            using var widened = half.to(state[name].dtype);
            TensorAssert.Equal(widened, state[name], name);
        }
    }

    [Fact]
    public void Name_mapping_and_optional_keys_load_a_backbone_from_a_full_checkpoint()
    {
        using var dir = new TempDirectory();
        using var source = Model(1);
        using var backbone = Model(2, withHead: false);
        // the checkpoint uses PyTorch-style names ("features.conv.weight") and carries a classifier and a counter we skip
        using var tensors = new OwnedTensors(Snapshot(source).Select(kv =>
            KeyValuePair.Create(kv.Key.StartsWith("fc.") ? kv.Key : "features." + kv.Key, kv.Value)));
        tensors["step"] = torch.tensor(100L);
        var options = new StateDictLoadOptions
        {
            MapName = name => name == "step" ? null : name.StartsWith("features.") ? name["features.".Length..] : name,
            Optional = new HashSet<string> { "fc.weight", "fc.bias" },
        };
        var report = StateDict.LoadFile(backbone, SaveTensors(dir, tensors), options);

        Assert.Equal(7, report.Loaded);
        Assert.Equal(new[] { "fc.bias", "fc.weight", "step" }, report.Skipped.Order(StringComparer.Ordinal));
        Assert.Empty(report.Missing);
        var expected = source.state_dict();
        foreach (var (name, value) in backbone.state_dict()) TensorAssert.Equal(expected[name], value, name);

        // without the optional set the classifier is unexpected, named by its file name
        var error = Assert.Throws<InvalidDataException>(() => StateDict.LoadFile(backbone, dir.File("weights.safetensors"),
            options with { Optional = new HashSet<string>() }));
        Assert.Contains("2 unexpected keys", error.Message);
        Assert.Contains("fc.weight", error.Message);
    }

    [Fact]
    public void Non_strict_load_reports_what_it_passed_over_but_still_rejects_shape_mismatches()
    {
        using var source = Model(1, withHead: false);
        using var target = Model(2);
        using var tensors = Snapshot(source);
        tensors["unused"] = torch.zeros(1);
        var report = StateDict.Load(target, tensors, new StateDictLoadOptions { Strict = false });
        Assert.Equal(7, report.Loaded);
        Assert.Equal(new[] { "unused" }, report.Skipped);
        Assert.Equal(new[] { "fc.bias", "fc.weight" }, report.Missing.Order(StringComparer.Ordinal));

        tensors.Replace("conv.bias", torch.zeros(5));
        var error = Assert.Throws<InvalidDataException>(() => StateDict.Load(target, tensors, new StateDictLoadOptions { Strict = false }));
        Assert.Contains("conv.bias: file [5] vs model [4]", error.Message);
    }
}
