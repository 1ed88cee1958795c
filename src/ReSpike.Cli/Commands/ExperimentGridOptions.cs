using System.CommandLine;
using ReSpike.Energy;
using ReSpike.Experiments;
using ReSpike.Training;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>
/// What the experiment verbs share: every training flag (the settings all cells share), --out, --energy-samples, --json,
/// and running a grid under a progress display with a result table at the end.
/// </summary>
sealed class ExperimentGridOptions
{
    public TrainingFlagOptions Training { get; } = new(allSplits: true);

    public Option<DirectoryInfo> Out { get; } = new Option<DirectoryInfo>("--out")
    {
        Description = "Grid folder: one run folder per cell (ID/, or ID/splitN/ with --split all) and the reports; rerunning the same command skips finished cells and resumes a killed one.",
        Required = true,
    }.InGroup(HelpGroup.Output);

    public Option<int> EnergySamples { get; } = new Option<int>("--energy-samples")
    {
        Description = "Test clips the firing rates of each cell's energy figure are averaged over (the paper: 100).",
        DefaultValueFactory = _ => EnergyProfiler.DefaultSamples,
    }.InGroup(HelpGroup.Measurement);

    public Option<FileInfo?> Json { get; } = CommonOptions.Json();

    /// <summary>Adds the training flags (without --init, which one set of weights cannot serve cells of different models) and the grid's own.</summary>
    public void AddTo(Command command, bool withModel)
    {
        var f = Training;
        f.Data.AddTo(command);
        var options = new List<Option> { f.Backbone, f.Image, f.Frames, f.Stride, f.Fusion, f.Pretrained, f.Sampling, f.TrainCrop, f.TestCrop, f.MinCropScale, f.NoFlip,
                                         f.Batch, f.Accumulate, f.FreezeBatchNorm, f.RecomputeSpikeLayers, f.Epochs, f.Lr, f.Optimizer, f.Schedule, f.WeightDecay, f.Warmup, f.Seed, f.SegmentLoss, Out, f.NoEval, f.SaveEvery, EnergySamples, Json, f.Config, f.Set, f.Threads };
        if (withModel) options.Insert(0, f.Model);
        foreach (var o in options) command.Options.Add(o);
    }

    /// <summary>The grid's settings from the typed flags; usage problems name the flag.</summary>
    public ExperimentSettings Settings(ParseResult parse, string name, IReadOnlyList<ExperimentCell> cells) => new()
    {
        Name = name,
        OutputDirectory = parse.GetValue(Out)!.FullName,
        Cells = cells,
        Config = parse.GetValue(Training.Config),
        Sets = parse.GetValue(Training.Set) ?? [],
        Flags = Training.Flags(parse),
        Splits = Training.Data.AllSplits(parse) ? [1, 2, 3] : null,
        EnergySamples = parse.GetValue(EnergySamples),
    };

    /// <summary>Runs the grid with a progress display (Ctrl-C saves the running cell's resume point), prints the table, writes --json.</summary>
    public int Run(ParseResult parse, ExperimentSettings settings)
    {
        ExperimentResult result;
        using (var ctrlC = new CtrlC())
        {
            try
            {
                result = AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx => ExperimentRunner.Run(settings, id => new ConsoleTrainingObserver(ctx, id), line => AnsiConsole.MarkupLine(Markup.Escape(line)), ctrlC.Token));
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        var table = new Table().AddColumns("id", "model", "inputs", "s", "video top-1", "clip top-1", "energy mJ", "params", "train s");
        foreach (var c in result.Cells)
            table.AddRow(c.Id, c.Model, Markup.Escape(c.Inputs), c.Stride.ToString(), c.VideoTop1.ToString("P1"), c.ClipTop1.ToString("P1"),
                         c.EnergyMj.ToString("0.###"), c.Params.ToString("N0"), c.TrainSeconds.ToString("0"));
        AnsiConsole.Write(table);
        if (result.Missing.Count > 0) AnsiConsole.MarkupLine(Markup.Escape($"not finished: {string.Join(", ", result.Missing)} (run the same command again to continue)"));
        AnsiConsole.MarkupLine(Markup.Escape($"reports: {result.Files.Markdown}, {result.Files.Csv}, {result.Files.Json}, {result.Files.AccuracyEnergyPlot} ({result.Seconds:0} s)"));
        if (parse.GetValue(Json) is { } file)
            JsonReport.Write(file.FullName, new { out_dir = result.Files.Directory, result.Interrupted, missing = result.Missing, cells = result.Cells, result.Seconds });
        return result.Interrupted ? CliRunner.Failure : CliRunner.Ok;
    }
}
