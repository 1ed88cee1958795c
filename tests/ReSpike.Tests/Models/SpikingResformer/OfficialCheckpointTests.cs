using System.Text.Json;
using ReSpike.Models;
using ReSpike.Models.SpikingResformer;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Models.SpikingResformer;

/// <summary>
/// --pretrained with official-format checkpoints: .pth files that Debian's torch writes (torch.save of the state dict,
/// and of the official main.py's {"model": ..., "optimizer": ..., "epoch": ...}) with the official names and shapes.
/// </summary>
public class OfficialCheckpointTests
{
    static SpikingResformerNet Build(int classes) =>
        (SpikingResformerNet)ModelRegistry.Create(new ReSpikeConfig { Name = "spikingresformer-dvsg", NumClasses = classes, Stride = 1, Frames = 2, ImageSize = 32 });

    // tensor i of the state dict (in order) is filled with 0.001 * i; num_batches_tracked with i
    const string WritePth = """
import json, sys, torch
spec = json.load(open(sys.argv[1]))
sd = {}
for i, (name, shape, is_int) in enumerate(spec):
    sd[name] = torch.full(shape, i, dtype=torch.int64) if is_int else torch.full(shape, 0.001 * i, dtype=torch.float32)
if sys.argv[3] == "checkpoint":
    torch.save({"model": sd, "optimizer": {"state": {}, "param_groups": [{"lr": 0.1, "momentum": 0.9, "params": [0, 1]}]},
                "epoch": 3, "max_acc1": 91.5}, sys.argv[2])
else:
    torch.save(sd, sys.argv[2])
""";

    static string Write(SpikingResformerNet net, string kind, int? classesInFile = null)
    {
        var dir = Directory.CreateTempSubdirectory("srf-pth").FullName;
        var spec = net.state_dict().Select(kv => new object[]
        {
            kv.Key,
            kv.Key == "classifier.weight" && classesInFile is { } c ? new[] { c, kv.Value.shape[1] } : kv.Value.shape,
            kv.Value.dtype == ScalarType.Int64,
        }).ToList();
        var specPath = Path.Combine(dir, "spec.json");
        File.WriteAllText(specPath, JsonSerializer.Serialize(spec));
        var pth = Path.Combine(dir, "official.pth");
        ReferencePython.Run(WritePth, specPath, pth, kind);
        return pth;
    }

    [RequiresReferenceTheory]
    [InlineData("checkpoint")]
    [InlineData("state_dict")]
    public void A_pth_written_by_torch_loads_with_every_tensor_matched(string kind)
    {
        using var net = Build(10);
        var pth = Write(net, kind);
        var report = OfficialCheckpoint.Load(net, pth);
        Assert.Equal(249, report.Loaded);
        Assert.Equal(249, report.Total);
        Assert.False(report.ClassifierSkipped);
        Assert.Empty(report.Ignored);
        Assert.Equal("249 of 249 tensors matched by name", report.Summary);
        var names = net.state_dict().Keys.ToList();
        var sd = net.state_dict();
        int w = names.IndexOf("layers.0.0.activation_in.w");
        Assert.Equal(0.001f * w, sd["layers.0.0.activation_in.w"].item<float>(), 6);
        int rate = names.IndexOf("layers.2.5.firing_rate_attn");
        Assert.Equal(0.001f * rate, sd["layers.2.5.firing_rate_attn"][0, 0, 5, 0, 0].item<float>(), 6);
        int tracked = names.IndexOf("prologue.1.bn.num_batches_tracked");
        Assert.Equal(tracked, sd["prologue.1.bn.num_batches_tracked"].item<long>());
    }

    [RequiresReferenceFact]
    public void A_classifier_of_another_class_count_is_skipped_and_said_so()
    {
        using var net = Build(10);
        var pth = Write(net, "checkpoint", classesInFile: 11);
        var report = OfficialCheckpoint.Load(net, pth);
        Assert.True(report.ClassifierSkipped);
        Assert.Equal(248, report.Loaded);
        Assert.Contains("classifier skipped", report.Summary);
    }

    [Fact]
    public void A_safetensors_state_dict_loads_with_every_tensor_matched()
    {
        torch.manual_seed(4);
        using var source = Build(10);
        var path = Path.Combine(Directory.CreateTempSubdirectory("srf-st").FullName, "official.safetensors");
        ReSpike.IO.StateDict.Save(source, path);
        torch.manual_seed(5);
        using var target = Build(10);
        var report = OfficialCheckpoint.Load(target, path);
        Assert.Equal("249 of 249 tensors matched by name", report.Summary);
        Assert.True(source.state_dict()["layers.2.6.down.1.weight"].equal(target.state_dict()["layers.2.6.down.1.weight"]).all().item<bool>());
    }

    [Fact]
    public void A_file_that_is_neither_pth_nor_safetensors_is_refused_naming_the_file()
    {
        using var net = Build(10);
        var path = Path.Combine(Directory.CreateTempSubdirectory("srf-pth").FullName, "junk.pth");
        File.WriteAllText(path, "not a checkpoint");
        var error = Assert.ThrowsAny<Exception>(() => OfficialCheckpoint.Load(net, path));
        Assert.Contains("junk.pth", error.Message);
    }
}
