using System.Text.Json;
using ReSpike.IO.SafeTensors;
using ReSpike.Tests.IO;

namespace ReSpike.Tests.Cli;

/// <summary>`respike parity --train` against files the PyTorch reference writes, on a configuration no doc lists.</summary>
public class ParityCliTests
{
    [RequiresReferenceFact]
    public void Train_step_matches_the_reference_and_a_wrong_learning_rate_is_caught_after_the_step()
    {
        // resnet18, 48 px, stride 3 (2 SNN timesteps), 12 frames, batch 3, 7 classes, non-default SGD settings
        using var dir = new TempDirectory();
        var script = Path.Combine(ReferencePython.ReferenceDirectory!, "respike_ref.py");
        var basePath = dir.File("t");
        var (code, _, stderr) = ReSpike.Runtime.ExternalTool.Run(ReferencePython.Python,
            [script, "parity", "--train", "--backbone", "resnet18", "--classes", "7", "--stride", "3", "--frames", "12",
             "--image", "48", "--batch", "3", "--lr", "0.05", "--momentum", "0.5", "--wd", "0.001", "--seed", "7", "--out", basePath],
            TimeSpan.FromMinutes(5));
        Assert.True(code == 0, stderr);
        string[] Args(string lr, string json) =>
            ["parity", "--train", "--weights", basePath + ".weights.safetensors", "--io", basePath + ".io.safetensors",
             "--expected", basePath + ".train.safetensors", "--classes", "7", "--stride", "3", "--image", "48",
             "--lr", lr, "--momentum", "0.5", "--wd", "0.001", "--json", json];

        var (exit, stdout, err) = CliHarness.Run(Args("0.05", dir.File("ok.json")));
        Assert.True(exit == 0, stdout + err);
        Assert.Contains("train parity OK", stdout);
        using (var ok = JsonDocument.Parse(File.ReadAllText(dir.File("ok.json"))))
        {
            var root = ok.RootElement;
            Assert.True(root.GetProperty("ok").GetBoolean());
            Assert.InRange(root.GetProperty("loss_rel_err").GetDouble(), 0, 1e-5);
            Assert.InRange(root.GetProperty("max_grad_rel_err").GetDouble(), 0, 1e-4);
            Assert.InRange(root.GetProperty("max_after_rel_err").GetDouble(), 0, 1e-4);
            int gradients = SafeTensorsFile.Open(basePath + ".train.safetensors").Entries.Count(e => e.Name.StartsWith("grad."));
            Assert.Equal(gradients, root.GetProperty("gradients").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("worst").GetProperty("grad").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("worst").GetProperty("after").GetString()));
        }

        // the same gradients, a different step size: only the tensors after the step may differ, and they must
        (exit, stdout, _) = CliHarness.Run(Args("0.04", dir.File("bad.json")));
        Assert.Equal(1, exit);
        Assert.Contains("train parity FAILED", stdout);
        using var bad = JsonDocument.Parse(File.ReadAllText(dir.File("bad.json")));
        Assert.False(bad.RootElement.GetProperty("ok").GetBoolean());
        Assert.InRange(bad.RootElement.GetProperty("max_grad_rel_err").GetDouble(), 0, 1e-4);
        Assert.True(bad.RootElement.GetProperty("max_after_rel_err").GetDouble() > 1e-4);
    }

    [Fact]
    public void Train_without_the_expected_file_is_a_usage_error_naming_the_flag()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("w.safetensors"), "");
        File.WriteAllText(dir.File("io.safetensors"), "");
        var (exit, _, err) = CliHarness.Run("parity", "--train", "--weights", dir.File("w.safetensors"), "--io", dir.File("io.safetensors"), "--classes", "3");
        Assert.Equal(2, exit);
        Assert.Contains("--train needs --expected", err);
    }
}
