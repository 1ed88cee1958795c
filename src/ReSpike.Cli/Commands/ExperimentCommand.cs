using System.CommandLine;

namespace ReSpike.Cli.Commands;

/// <summary>`respike experiment`: the paper's experiments as grids of training runs; each subcommand lives in its own file.</summary>
static class ExperimentCommand
{
    public static Command Create()
    {
        var command = new Command("experiment", "Run one of the paper's experiments (a grid of training runs) and write its table and figure.");
        command.Subcommands.Add(ExperimentAblationCommand.Create());
        command.Subcommands.Add(ExperimentStrideCommand.Create());
        return command;
    }
}
