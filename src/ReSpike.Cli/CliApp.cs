using System.CommandLine;
using ReSpike.Cli.Commands;

namespace ReSpike.Cli;

/// <summary>The `respike` command tree (built here so tests can run verbs in-process), with the grouped --help of <see cref="CliHelp"/>.</summary>
static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("ReSpike.NET: hybrid ANN-SNN video action recognition (residual frames drive a spiking network).");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(EnvCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(ParityCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(PrepareCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(StreamCommand.Create());
        root.Subcommands.Add(EnergyCommand.Create());
        root.Subcommands.Add(AttentionCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        return CliHelp.Install(root);
    }
}
