using System.Text.Json;
using ReSpike.Tests.IO;
using ReSpike.Tests.Models.Video3d;

namespace ReSpike.Tests.Cli;

/// <summary>`respike parity --model r3d-18|mc3-18|r2plus1d-18` on files bench/video3d/torchvision_parity.py writes from torchvision.</summary>
public class VideoParityCliTests
{
    static string Harness()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "video3d", "torchvision_parity.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/video3d/torchvision_parity.py not found above the test binaries");
    }

    [RequiresTorchvisionFact]
    public void Eval_and_train_step_match_torchvision_and_a_wrong_class_count_names_the_flag()
    {
        // mc3-18 on a shape no doc lists: batch 3, 4 frames, 48 px, 3 classes
        using var dir = new TempDirectory();
        var basePath = dir.File("v");
        foreach (var train in new[] { false, true })
        {
            string[] args = [Harness(), "--model", "mc3-18", "--classes", "3", "--batch", "3", "--frames", "4", "--image", "48", "--seed", "5", "--out", basePath + (train ? "t" : "e")];
            var (code, _, stderr) = ReSpike.Runtime.ExternalTool.Run(ReferencePython.Python, train ? [.. args, "--train"] : args, TimeSpan.FromMinutes(5));
            Assert.True(code == 0, stderr);
        }

        var (exit, stdout, err) = CliHarness.Run(["parity", "--model", "mc3-18", "--weights", basePath + "e.weights.pth", "--io", basePath + "e.io.safetensors",
                                                  "--classes", "3", "--json", dir.File("e.json")]);
        Assert.True(exit == 0, stdout + err);
        using (var report = JsonDocument.Parse(File.ReadAllText(dir.File("e.json"))))
        {
            Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
            Assert.InRange(report.RootElement.GetProperty("rel_err").GetDouble(), 0, 1e-5);
            Assert.Equal([3, 3], report.RootElement.GetProperty("logits_shape").EnumerateArray().Select(e => e.GetInt32()));
        }

        (exit, stdout, err) = CliHarness.Run(["parity", "--model", "mc3-18", "--train", "--weights", basePath + "t.weights.pth", "--io", basePath + "t.io.safetensors",
                                              "--expected", basePath + "t.train.safetensors", "--classes", "3", "--json", dir.File("t.json")]);
        Assert.True(exit == 0, stdout + err);
        using (var report = JsonDocument.Parse(File.ReadAllText(dir.File("t.json"))))
        {
            Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
            Assert.InRange(report.RootElement.GetProperty("max_grad_rel_err").GetDouble(), 0, 1e-9);   // float64 on both sides
        }

        (exit, _, err) = CliHarness.Run(["parity", "--model", "mc3-18", "--weights", basePath + "e.weights.pth", "--io", basePath + "e.io.safetensors", "--classes", "5"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("--classes", err);
    }

    [Fact]
    public void A_model_parity_cannot_check_is_refused_naming_the_flag()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("w.pth"), "");
        File.WriteAllText(dir.File("io.safetensors"), "");
        var (exit, _, err) = CliHarness.Run(["parity", "--model", "c3d", "--weights", dir.File("w.pth"), "--io", dir.File("io.safetensors"), "--classes", "3"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("--model c3d", err);
    }
}
