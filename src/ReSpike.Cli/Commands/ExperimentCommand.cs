using System.CommandLine;

namespace ReSpike.Cli.Commands;

/// <summary>`respike experiment`: the parent of the experiment subcommands (each in its own Experiment*Command file).</summary>
static class ExperimentCommand
{
    public static Command Create()
    {
        var command = new Command("experiment", "Run an experiment of the docs and draw its figure.").Document(
            "Each subcommand runs real evaluations and writes its numbers (JSON) and a PNG figure.",
            "respike experiment exit --checkpoint runs/weizmann/best.safetensors --out runs/exit");
        command.Subcommands.Add(ExperimentExitCommand.Create());
        return command;
    }
}
