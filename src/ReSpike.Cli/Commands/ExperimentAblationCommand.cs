using System.CommandLine;
using ReSpike.Experiments;

namespace ReSpike.Cli.Commands;

/// <summary>`respike experiment ablation`: the paper's E1-E9 (or chosen cells, any registered model) on one dataset with shared settings.</summary>
static class ExperimentAblationCommand
{
    public static Command Create()
    {
        var grid = new ExperimentGridOptions();
        var cells = new Option<string>("--cells")
        {
            Description = "Cells to run, in order: E1-E9 (the paper's ablation rows) and/or registered model names (e.g. snn-resnet18, r3d-18), comma-separated.",
            DefaultValueFactory = _ => string.Join(",", ExperimentCell.Ablation.Select(c => c.Id)),
            HelpName = "E1,...",
        }.InGroup(HelpGroup.Model);
        var command = new Command("ablation", "Train and evaluate the ablation grid E1-E9 on one dataset; writes ablation.md/.csv/.json and an accuracy-energy PNG.").Document(
            "E1 ann-all, E2 ms-resnet18, E3 respike-rgb, E4 ann, E5 ann-res, E6 snn, E7 snn-key, E8 respike-noattn, E9 respike (docs/experiments.md). " +
            "Every training flag applies to all cells. A rerun skips finished cells and resumes a killed one.",
            "respike experiment ablation --dataset synthetic --config respike_r18_8x4_12e_synthetic --out runs/ablation-syn --threads 1",
            "respike experiment ablation --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --set epochs=4 --out runs/ablation-w4",
            "respike experiment ablation --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --cells E9,ms-resnet18,snn-resnet18,tet-resnet18 --out runs/table1-w4",
            "respike experiment ablation --config respike_r50_16x4_100e_ucf101 --root data/ucf101 --split all --out runs/ablation-ucf");
        command.Options.Add(cells);
        grid.AddTo(command, withModel: false);
        command.SetAction(parse =>
        {
            IReadOnlyList<ExperimentCell> list;
            try { list = ExperimentCell.Parse(parse.GetValue(cells)!); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            return grid.Run(parse, grid.Settings(parse, "ablation", list));
        });
        return command;
    }
}
