using System.CommandLine;

namespace ReSpike.Cli.Commands;

/// <summary>`respike experiment`: the paper's experiments (grids of training runs) and the early-exit sweep; each subcommand lives in its own file.</summary>
static class ExperimentCommand
{
    public static Command Create()
    {
        var command = new Command("experiment", "Run one of the paper's experiments (a grid of training runs) or the early-exit sweep and write its table and figure.").Document(
            "Grids (ablation, stride): each cell is a training run in its own folder under --out; rerunning the same command skips finished cells and resumes a killed one (docs/experiments.md). exit: sweeps --exit-threshold on a checkpoint (docs/streaming.md).",
            "respike experiment ablation --dataset synthetic --config respike_r18_8x4_12e_synthetic --out runs/ablation-syn",
            "respike experiment stride --dataset synthetic --config respike_r18_8x4_12e_synthetic --out runs/stride-syn",
            "respike experiment exit --checkpoint runs/weizmann/best.safetensors --out runs/exit");
        command.Subcommands.Add(ExperimentAblationCommand.Create());
        command.Subcommands.Add(ExperimentStrideCommand.Create());
        command.Subcommands.Add(ExperimentExitCommand.Create());
        return command;
    }
}
