using System.CommandLine;
using System.Globalization;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Plotting;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike energy`: MACs, spike-driven ACs, firing rates and energy per clip; `respike energy plot`: accuracy vs energy.</summary>
static class EnergyCommand
{
    const int RandomInputSamples = 4;

    public static Command Create()
    {
        var arch = new ArchitectureOptions(image: 224, classes: 101, "Number of classes (only the head's size depends on it).");
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Measure this checkpoint (architecture from the file; --image/--frames/--stride may override)." }.InGroup(HelpGroup.Model);
        var firingRate = new Option<double?>("--firing-rate") { Description = "Assume this firing rate (0..1) for every spike-driven layer instead of measuring it." }.InGroup(HelpGroup.Measurement);
        var samples = new Option<int?>("--samples") { Description = "Clips to average firing rates over." }
            .DefaultText($"{EnergyProfiler.DefaultSamples} on data, as in the paper; {RandomInputSamples} on random input").InGroup(HelpGroup.Measurement);
        var seed = new Option<int>("--seed") { Description = "Seed of the random input clips (and untrained weights).", DefaultValueFactory = _ => 0 }.InGroup(HelpGroup.Run);
        var precision = new Option<string>("--precision")
        {
            Description = "Energy per op: " + CommonOptions.Choices(EnergyModel.Registry) + ".",
            DefaultValueFactory = _ => "fp32",
        }.AcceptOnlyRegistered(EnergyModel.Registry).InGroup(HelpGroup.Measurement);
        var layers = new Option<string>("--layers") { Description = "Per-layer table: all or none.", DefaultValueFactory = _ => "all" }
            .AcceptOnly("all", "none").InGroup(HelpGroup.Output);
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Skip counting the 2D ResNet baseline on all T frames." }.InGroup(HelpGroup.Measurement);
        var data = new DatasetOptions();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("energy", "Count MACs, spike-driven ACs and energy per clip through a real forward pass.")
        {
            checkpoint, firingRate, samples, precision, noBaseline, layers, json, seed, threads,
        }.Document(
            "MACs on real-valued inputs (ANN, SNN stem and shortcuts, fusion, head) and spike-driven ACs (synaptic ops x measured\n" +
            "input firing rate), then energy in mJ, with the ratio to the 2D ResNet baseline on all T frames. Firing rates come from\n" +
            "random clips, or from test clips when data flags are given. See docs/energy.md for what is counted.",
            "respike energy --model ann --backbone resnet18 --image 224 --frames 16 --stride 1 --json e.json",
            "respike energy --model respike --backbone resnet18 --image 224 --frames 16 --stride 4 --json e.json",
            "respike energy --model respike --backbone resnet50 --stride 4 --firing-rate 0.1 --precision fp16",
            "respike energy --checkpoint run/best.safetensors --samples 8",
            "respike energy --checkpoint run/best.safetensors --dataset ucf101 --root ../shared/data/weizmann4 --split 1   # measured rates on 100 test clips",
            "respike energy --model spikingresformer-ti --image 224 --frames 4 --stride 1   # both conventions: the SpikingResformer paper's and ReSpike's",
            "respike energy plot respike.eval.json ann.eval.json --out acc_energy.png");
        arch.AddTo(command);
        data.AddTo(command);
        command.Subcommands.Add(CreatePlot());
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            if (parse.GetValue(firingRate) is { } rate && !(rate >= 0 && rate <= 1))
                throw new UsageException($"--firing-rate must be between 0 and 1, got {rate}");
            if (parse.GetValue(samples) is < 1) throw new UsageException($"--samples must be >= 1, got {parse.GetValue(samples)}");
            string? checkpointPath = parse.GetValue(checkpoint) is { } file ? CommonOptions.ExistingFile(file, "--checkpoint") : null;
            ReSpikeConfig config;
            try { config = checkpointPath is null ? arch.Read(parse) : CheckpointUnderTest.Config(checkpointPath, arch.ReadGiven(parse)); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            bool onData = data.AnyGiven(parse);
            var options = new EnergyAnalysisOptions
            {
                // the paper averages over 100 test samples; random clips only stand in for data, so fewer by default
                Samples = parse.GetValue(samples) ?? (onData ? EnergyProfiler.DefaultSamples : RandomInputSamples),
                AssumedFiringRate = parse.GetValue(firingRate),
                Energy = EnergyModel.Parse(parse.GetValue(precision)!),
                Baseline = !parse.GetValue(noBaseline),
                Seed = parse.GetValue(seed),
                Checkpoint = checkpointPath,
            };
            TorchSharp.torch.manual_seed(options.Seed);   // untrained weights are reproducible too
            using var net = checkpointPath is null ? ModelRegistry.Create(config) : Checkpoint.LoadAs(checkpointPath, config);
            Data.DatasetSpec? spec = null;
            if (onData)
            {
                try { spec = data.Read(parse).ForImage(config.ImageSize); } // the centre crop of ClipSamples.Test
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                if (checkpointPath is not null && !data.LabelOrderGiven(parse)) spec = spec.WithLabelOrderOf(Checkpoint.ReadClassNames(checkpointPath));
            }
            if (net is Models.SpikingResformer.SpikingResformerNet srf)
                return SpikingResformerEnergyPrinter.Run(srf, spec, parse.GetValue(samples) ?? (onData ? EnergyProfiler.DefaultSamples : RandomInputSamples),
                                                         options.Seed, parse.GetValue(json));
            void Warn(string message) => AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(message));
            var report = spec is null
                ? AnsiConsole.Status().Start("counting (forward passes with hooks)...", _ => EnergyAnalysis.Run(net, null, options))
                : AnsiConsole.Status().Start("indexing the test videos and counting (forward passes with hooks)...", _ => EnergyAnalysis.OnTestSet(net, spec, options, Warn));

            Print(report, parse.GetValue(layers) == "all");
            if (parse.GetValue(json) is { } jsonFile)
            {
                JsonReport.Write(jsonFile.FullName, report);
                AnsiConsole.MarkupLine($"wrote {Markup.Escape(jsonFile.FullName)}");
            }
            return CliRunner.Ok;
        });
        return command;
    }

    static Command CreatePlot()
    {
        var reports = new Argument<FileInfo[]>("reports")
        {
            Description = "Eval report JSON files with video_top1 (or clip_top1), energy_mj and optionally model.",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "REPORT.json",
        };
        var output = new Option<FileInfo>("--out") { Description = "PNG file to write.", Required = true }.InGroup(HelpGroup.Output);
        var title = new Option<string>("--title") { Description = "Chart title.", DefaultValueFactory = _ => "Accuracy vs energy per clip", HelpName = "TEXT" }.InGroup(HelpGroup.Output);
        var command = new Command("plot", "Plot top-1 accuracy against energy per clip for eval reports (the paper's Fig. 1 and 5).")
        {
            reports, output, title,
        }.Document(null, "respike energy plot respike.json ann.json snn.json --out acc_energy.png");
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(reports)!.Select(f => CommonOptions.ExistingFile(f, "reports")).ToList();
            var outPath = parse.GetValue(output)!.FullName;
            var points = AccuracyEnergyPlot.Write(paths, outPath, parse.GetValue(title)!);
            var table = new Table().AddColumns("model", "top-1 (%)", "energy (mJ)", "from");
            foreach (var p in points)
                table.AddRow(Markup.Escape(p.Label), p.Top1Percent.ToString("F2", CultureInfo.InvariantCulture),
                             p.EnergyMj.ToString("F2", CultureInfo.InvariantCulture), Markup.Escape($"{Path.GetFileName(p.File)} ({p.AccuracyField})"));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(outPath)}");
            return CliRunner.Ok;
        });
        return command;
    }

    static string F(double value, string format = "F3") => value.ToString(format, CultureInfo.InvariantCulture);

    static void Print(EnergyReport r, bool perLayer)
    {
        // a file or pipe has no width and Spectre would wrap the layer names at 80 columns
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 132);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Model)}[/] / {Markup.Escape(r.Backbone)}, {r.Image} px, {r.Frames} frames, stride {r.Stride}: " +
                               $"{r.KeyFrames} key frames through the ANN, {r.SnnTimesteps} SNN timesteps per clip");
        AnsiConsole.MarkupLine($"input: {Markup.Escape(r.Input)}");
        if (r.Checkpoint is not null) AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(r.Checkpoint)}");
        AnsiConsole.MarkupLine($"energy model: {Markup.Escape(r.Precision)}, E_MAC = {F(r.EMacPj, "0.###")} pJ, E_AC = {F(r.EAcPj, "0.###")} pJ (Horowitz 2014, 45 nm)");

        if (perLayer)
        {
            var table = new Table().Title("per layer, per clip").AddColumns("layer", "branch", "kind", "calls", "in rate", "GMACs", "GACs", "G adds", "mJ");
            foreach (var c in table.Columns.Skip(3)) c.RightAligned();
            foreach (var l in r.Layers)
                table.AddRow(Markup.Escape(l.Name), l.Branch, l.Kind, F(l.Calls, "0.##"),
                             l.InputFiringRate is { } rate ? F(rate, "F4") : "real",
                             F(l.Gmacs, "F4"), F(l.Gacs, "F4"), F(l.Gadds, "F4"), F(l.EnergyMj, "F4"));
            AnsiConsole.Write(table);
        }

        if (r.FiringRates.Count > 0)
        {
            var rates = new Table().Title("spiking layers (LIF outputs)").AddColumns("layer", "firing rate", "neuron-steps / clip");
            foreach (var f in r.FiringRates) rates.AddRow(Markup.Escape(f.Name), F(f.Rate, "F4"), F(f.NeuronStepsPerClip, "N0"));
            AnsiConsole.Write(rates);
        }

        // G adds: pooling and norm-statistics adds/compares on real values, priced like an AC
        var totals = new Table().Title("per clip").AddColumns("branch", "GMACs", "GACs", "G adds", "mJ");
        foreach (var c in totals.Columns.Skip(1)) c.RightAligned();
        totals.AddRow("ANN", F(r.AnnGmacs), "-", F(r.AnnGadds, "F4"), F(r.AnnMj, "F2"));
        totals.AddRow("SNN", F(r.SnnGmacs), F(r.SnnGacs), F(r.SnnGadds, "F4"), F(r.SnnMj, "F2"));
        totals.AddRow("fusion", F(r.FusionGmacs), F(r.FusionGacs), F(r.FusionGadds, "F4"), F(r.FusionMj, "F2"));
        totals.AddRow("head", F(r.HeadGmacs, "F4"), "-", F(r.HeadGadds, "F4"), F(r.HeadMj, "F3"));
        totals.AddRow("[bold]total[/]", $"[bold]{F(r.TotalGmacs)}[/]", $"[bold]{F(r.TotalGacs)}[/]", $"[bold]{F(r.TotalGadds, "F4")}[/]", $"[bold]{F(r.EnergyMj, "F2")}[/]");
        AnsiConsole.Write(totals);

        if (r.SnnTimesteps > 0)
            AnsiConsole.MarkupLine($"firing rate ({r.FiringRateSource}): {F(r.FiringRate, "F4")}; spike-driven synaptic ops {F(r.SnnDenseGops)} G x " +
                                   $"effective rate {F(r.EffectiveSynapticRate, "F4")} = {F(r.TotalGacs)} GACs");
        if (r.Model == ModelVariant.Ann.Name() && r.Stride == 1)
            AnsiConsole.MarkupLine($"this is the 2D baseline: {Markup.Escape(r.Backbone)} on all {r.Frames} frames (the paper's Table 3 ANN rows)");
        else if (r.BaselineEnergyMj is { } baselineMj && r.EnergyRatioToBaseline is { } ratio)
            AnsiConsole.MarkupLine($"2D {Markup.Escape(r.Backbone)} on all {r.Frames} frames: {F(r.BaselineGmacs ?? 0)} GMACs, {F(baselineMj, "F2")} mJ; " +
                                   $"this model uses [bold]{F(ratio, "F3")}x[/] its energy ({F(1 / ratio, "F2")}x less)");
    }
}
