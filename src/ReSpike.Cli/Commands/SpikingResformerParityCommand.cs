using ReSpike.Models.SpikingResformer;

namespace ReSpike.Cli.Commands;

/// <summary>`respike parity --model spikingresformer-*`: the port against the official code (files of bench/spikingresformer_ref.py).</summary>
static class SpikingResformerParityCommand
{
    public static int Run(string model, string weightsPath, string ioPath, int classes, int? timesteps, int? image,
                          bool train, FileInfo? expected, double lr, double momentum, double wd, FileInfo? json)
    {
        int steps = timesteps ?? throw new UsageException($"--model {model} needs --timesteps (the T the official logits were computed with)");
        var config = SpikingResformerParity.ConfigFor(model, classes, steps, image, ioPath);
        if (!train)
        {
            if (expected is not null) throw new UsageException("--expected is the training step's file; pass --train too");
            return ParityCommand.Eval(SpikingResformerParity.Run(weightsPath, ioPath, config), json);
        }
        var expectedFile = expected ?? throw new UsageException("--train needs --expected (the *.train.safetensors file of bench/spikingresformer_ref.py parity --train)");
        var report = SpikingResformerTrainStepParity.Run(weightsPath, ioPath, CommonOptions.ExistingFile(expectedFile, "--expected"), config, lr, momentum, wd);
        return ParityCommand.Train(report, json);
    }
}
