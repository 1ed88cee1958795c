using System.CommandLine;
using System.Globalization;
using ReSpike.EarlyExit;
using ReSpike.IO;
using ReSpike.Models;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike experiment exit`: the early-exit sweep (accuracy, segments used, energy per clip for each tau) and its accuracy–energy curve.</summary>
static class ExperimentExitCommand
{
    public const string Json = "exit_sweep.json", Png = "exit_sweep.png";

    public static Command Create()
    {
        var checkpoints = new Option<FileInfo[]>("--checkpoint")
        {
            Description = "Checkpoint of a run folder (its config.json names the test set); repeat to compare models, e.g. with and without --segment-loss.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        }.InGroup(HelpGroup.Model);
        var thresholds = new Option<string?>("--thresholds")
        {
            Description = "Comma-separated exit thresholds tau in (0, 1]; 1 (the full model) is always added.",
            HelpName = "TAU,...",
        }.DefaultText(string.Join(",", ExitSweep.DefaultThresholds.Select(t => t.ToString(CultureInfo.InvariantCulture)))).InGroup(HelpGroup.Measurement);
        var root = new Option<DirectoryInfo?>("--root") { Description = "Dataset folder, replacing the one the run's config.json names." }.DefaultText("the run's").InGroup(HelpGroup.Data);
        var batch = new Option<int>("--batch") { Description = "Clips per forward pass.", DefaultValueFactory = _ => 8 }.InGroup(HelpGroup.Run);
        var out_ = new Option<DirectoryInfo>("--out") { Description = $"Folder for {Json} and {Png}.", Required = true }.InGroup(HelpGroup.Output);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("exit", "Sweep the early-exit threshold: accuracy against energy per clip (PNG).").Document(
            "Each tau is a real evaluation of the run's test set in which a clip's later segments are skipped once it is confident; " +
            "energy is counted on the work done. The curve shows one line per checkpoint.",
            "respike experiment exit --checkpoint runs/w-plain/best.safetensors --checkpoint runs/w-segloss/best.safetensors --out runs/exit",
            "respike experiment exit --checkpoint runs/syn/best.safetensors --thresholds 0.6,0.8,0.9,0.99 --out runs/exit-syn --json exit.json");
        foreach (var o in new Option[] { checkpoints, root, thresholds, batch, out_, json, threads }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var taus = ParseThresholds(parse.GetValue(thresholds));
            int nBatch = parse.GetValue(batch);
            if (nBatch < 1) throw new UsageException($"--batch must be >= 1, got {nBatch}");
            var paths = parse.GetValue(checkpoints)!.Select(c => CommonOptions.ExistingFile(c, "--checkpoint")).ToList();
            var folder = parse.GetValue(out_)!.FullName;
            var points = new List<ExitSweepPoint>();
            var table = new Table().AddColumns("model", "tau", "clip top-1", "video top-1", "segments", "energy (mJ)");
            foreach (var path in paths)
            {
                var label = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
                using var net = Checkpoint.Load(path);
                try { ISegmentedModel.Require(net, $"--checkpoint {path}"); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                var (test, protocol) = ExitSweep.TestSetOf(path, parse.GetValue(root)?.FullName);
                AnsiConsole.MarkupLine(Markup.Escape($"{label}: {test.Dataset.Name}, {test.UsableVideos} test videos, protocol {protocol.Describe()}, K = {net.Config.Segments} segments"));
                points.AddRange(ExitSweep.Run(net, label, test, protocol, taus, nBatch, p =>
                    AnsiConsole.MarkupLine(Markup.Escape($"  tau {p.Threshold:0.###}: clip {p.ClipTop1:P1}, video {p.VideoTop1:P1}, {p.MeanSegments:0.##}/{p.Segments} segments, {p.EnergyMj:0.###} mJ"))));
            }
            foreach (var p in points)
                table.AddRow(Markup.Escape(p.Model), p.Threshold.ToString("0.###", CultureInfo.InvariantCulture), p.ClipTop1.ToString("P1"), p.VideoTop1.ToString("P1"),
                             $"{p.MeanSegments:0.##}/{p.Segments} ({p.SegmentFraction:P0})", p.EnergyMj.ToString("0.###", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            Directory.CreateDirectory(folder);
            var report = new { checkpoints = paths, points };
            JsonReport.Write(Path.Combine(folder, Json), report);
            ExitSweep.Plot(points, Path.Combine(folder, Png), "Early exit: accuracy vs energy per clip");
            AnsiConsole.MarkupLine(Markup.Escape($"files: {Path.Combine(folder, Json)}, {Path.Combine(folder, Png)}"));
            if (parse.GetValue(json) is { } file) JsonReport.Write(file.FullName, report);
            return CliRunner.Ok;
        });
        return command;
    }

    static IReadOnlyList<double> ParseThresholds(string? text)
    {
        if (text is null) return ExitSweep.DefaultThresholds;
        var taus = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var tau) || !(tau > 0 && tau <= 1))
                throw new UsageException($"--thresholds: '{part}' is not a threshold in (0, 1]");
            taus.Add(tau);
        }
        if (taus.Count == 0) throw new UsageException("--thresholds: give at least one threshold, e.g. 0.8,0.9");
        return taus;
    }
}
