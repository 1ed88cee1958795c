using System.CommandLine;
using System.Globalization;
using ReSpike.Experiments;

namespace ReSpike.Cli.Commands;

/// <summary>`respike experiment stride`: Fig. 5, one model trained at several key-frame strides.</summary>
static class ExperimentStrideCommand
{
    public static Command Create()
    {
        var grid = new ExperimentGridOptions();
        var strides = new Option<string>("--strides")
        {
            Description = "Key-frame strides to train, comma-separated (each must divide --frames).",
            DefaultValueFactory = _ => string.Join(",", ExperimentCell.PaperStrides),
            HelpName = "S,...",
        }.InGroup(HelpGroup.Model);
        var command = new Command("stride", "Train and evaluate one model at strides s = 2, 4, 8 (Fig. 5); writes stride.md/.csv/.json, an accuracy-energy PNG and accuracy and energy per stride.").Document(
            "Cells s2, s4, s8 share every other setting; the model is --model (default: the config's, else respike). A rerun skips finished cells.",
            "respike experiment stride --dataset synthetic --config respike_r18_8x4_12e_synthetic --out runs/stride-syn --threads 1",
            "respike experiment stride --config respike_r18_8x4_10e_weizmann4 --root ../shared/data/weizmann4 --set epochs=4 --out runs/stride-w4");
        command.Options.Add(strides);
        grid.AddTo(command, withModel: true);
        command.SetAction(parse =>
        {
            IReadOnlyList<ExperimentCell> cells;
            try
            {
                var values = parse.GetValue(strides)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : throw new ArgumentException($"--strides: '{v}' is not a whole number"))
                    .ToList();
                if (values.Count == 0) throw new ArgumentException("--strides: empty list; e.g. --strides 2,4,8");
                var settings = grid.Settings(parse, "stride", []);
                cells = ExperimentCell.Strides(ModelOf(settings), values);
                return grid.Run(parse, settings with { Cells = cells });
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        });
        return command;
    }

    /// <summary>The swept model: --model, else the config's (after --set), else respike.</summary>
    static string ModelOf(ExperimentSettings settings)
    {
        if (settings.Flags.Model is { } flag) return flag;
        var plan = new Training.TrainingInvocation { Config = settings.Config, Sets = settings.Sets, Flags = settings.Flags, Out = settings.OutputDirectory }.Build();
        return plan.Options.Model.Name;
    }
}
