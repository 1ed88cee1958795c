using ReSpike.Tests.IO;

namespace ReSpike.Tests.Cli;

/// <summary>`respike parity --model spikingresformer-*`: flag errors (the numeric check itself is in SpikingResformerFixtureTests and bench/parity.sh).</summary>
public class SpikingResformerParityCliTests
{
    [Fact]
    public void A_spikingresformer_without_timesteps_is_a_usage_error_naming_the_flag()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("w.safetensors"), "");
        File.WriteAllText(dir.File("io.safetensors"), "");
        var (exit, _, err) = CliHarness.Run("parity", "--model", "spikingresformer-ti", "--weights", dir.File("w.safetensors"), "--io", dir.File("io.safetensors"), "--classes", "3");
        Assert.Equal(2, exit);
        Assert.Contains("--timesteps", err);
    }

    [Fact]
    public void Timesteps_without_a_spikingresformer_and_unknown_models_are_usage_errors()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("w.safetensors"), "");
        File.WriteAllText(dir.File("io.safetensors"), "");
        var (exit, _, err) = CliHarness.Run("parity", "--timesteps", "2", "--weights", dir.File("w.safetensors"), "--io", dir.File("io.safetensors"), "--classes", "3");
        Assert.Equal(2, exit);
        Assert.Contains("--timesteps is for --model spikingresformer-*", err);
        (exit, _, err) = CliHarness.Run("parity", "--model", "ann", "--weights", dir.File("w.safetensors"), "--io", dir.File("io.safetensors"), "--classes", "3");
        Assert.Equal(2, exit);
        Assert.Contains("--model", err);
    }
}
