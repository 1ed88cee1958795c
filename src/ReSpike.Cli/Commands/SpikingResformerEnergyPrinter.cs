using System.Globalization;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Energy;
using ReSpike.Models.SpikingResformer;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike energy` for spikingresformer-*: dense MACs, SOPs, firing rates and energy in both conventions.</summary>
static class SpikingResformerEnergyPrinter
{
    public static int Run(SpikingResformerNet net, DatasetSpec? spec, int samples, long seed, FileInfo? json)
    {
        var config = net.Config;
        SpikingResformerEnergyReport report;
        if (spec is null)
        {
            report = SpikingResformerEnergy.Measure(net, EnergyProfiler.RandomClips(config with { Frames = 1 }, samples, seed), samples,
                $"{samples} deterministic random image(s) (standard normal, seed {seed}): firing rates of noise, not of data");
        }
        else
        {
            var (dataset, reader) = spec.Open(DatasetSubset.Test);
            var test = IndexedDataset.Build(dataset, reader);
            report = SpikingResformerEnergy.Measure(net, ClipSamples.Test(test, config.Frames, config.ImageSize, (int)seed), samples,
                $"{samples} test samples of {dataset.Name} (centre crop, shuffled by seed {seed})");
        }
        string F(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        string E(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Model)}[/], {report.Image} px, T = {report.Timesteps}; input: {Markup.Escape(report.Input)}");
        var table = new Table().AddColumns("measure", "value");
        table.AddRow("dense MACs / timestep: stem conv", F(report.StemMacsPerTimestep));
        table.AddRow("dense MACs / timestep: other convs", F(report.ConvMacsPerTimestep));
        table.AddRow("dense MACs / timestep: DSSA matmuls", F(report.MatmulMacsPerTimestep));
        table.AddRow("dense MACs / timestep: classifier", F(report.ClassifierMacsPerTimestep));
        table.AddRow("dense MACs / timestep: total", F(report.DenseMacsPerTimestep));
        table.AddRow("SOPs / image (spike-driven, stem and classifier excluded)", F(report.Sops));
        table.AddRow("real-valued MACs / image (stem, classifier)", F(report.RealValuedMacs));
        table.AddRow("mean firing rate", E(report.MeanFiringRate));
        table.AddRow("energy, SpikingResformer paper: 0.9 pJ x SOPs (mJ/image)", E(report.PaperEnergyMj));
        table.AddRow("energy, ReSpike: 4.6 pJ x real-valued MACs + 0.9 pJ x SOPs (mJ/image)", E(report.ReSpikeEnergyMj));
        AnsiConsole.Write(table);
        if (json is not null)
        {
            JsonReport.Write(json.FullName, report);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(json.FullName)}");
        }
        return CliRunner.Ok;
    }
}
