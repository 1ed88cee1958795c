using System.CommandLine;
using System.Globalization;
using ReSpike.Benchmarks;
using ReSpike.Benchmarks.Profiling;
using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Models;
using ReSpike.Runtime;
using ReSpike.Spiking.Layers;
using ReSpike.Spiking.Neurons;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Cli.Commands;

/// <summary>`respike bench`: throughput and peak memory of the network (or, with --lif, of one LIF neuron).</summary>
static class BenchCommand
{
    public static Command Create()
    {
        var arch = new ArchitectureOptions(image: 112, classes: 51);
        var data = new DatasetOptions();
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Trained weights instead of a seeded initialisation (the checkpoint's architecture replaces the architecture flags). " +
                          "With dataset flags (--dataset, --root, ...) the bench runs on that dataset's test clips, so the network fires at its real rates.",
        }.InGroup(HelpGroup.Model);
        var batch = new Option<int>("--batch") { Description = "Clips per step.", DefaultValueFactory = _ => 2 }.InGroup(HelpGroup.Measurement);
        var steps = new Option<int>("--steps") { Description = "Timed steps (with --lif: timed repeats per variant).", DefaultValueFactory = _ => 3 }.InGroup(HelpGroup.Measurement);
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before timing.", DefaultValueFactory = _ => 1 }.InGroup(HelpGroup.Measurement);
        var train = new Option<bool>("--train") { Description = "Time SGD training steps (momentum 0.9, weight decay 1e-4, cross-entropy on random labels) instead of inference." }.InGroup(HelpGroup.Measurement);
        var threads = CommonOptions.Threads();
        var seed = new Option<int>("--seed") { Description = "Seed for weights, clip and labels.", DefaultValueFactory = _ => 1001 }.InGroup(HelpGroup.Run);
        var lifKernel = new Option<string>("--lif-kernel") { Description = "Spiking neurons: auto (fused kernel when applicable), op-by-op, or fused.", DefaultValueFactory = _ => "auto" }
            .AcceptOnly("auto", "op-by-op", "fused").InGroup(HelpGroup.Measurement);
        var allocator = CommonOptions.Allocator("with --train: tcmalloc when installed, as respike train; otherwise reuse");
        var recompute = new Option<bool>("--recompute-spike-layers") { Description = "With --train: spiking layers keep only their input spikes and run again in backward (as respike train --recompute-spike-layers)." }.InGroup(HelpGroup.Measurement);
        var lif = new Option<bool>("--lif") { Description = "Micro-benchmark one LIF neuron instead: fused kernel vs op-by-op, forward and forward+backward." }.InGroup(HelpGroup.Measurement);
        var lifShape = new Option<string>("--lif-shape") { Description = "With --lif: neurons per timestep, e.g. 16x64x56x56.", DefaultValueFactory = _ => "16x64x56x56", HelpName = "SHAPE" }.InGroup(HelpGroup.Measurement);
        var lifTimesteps = new Option<string>("--lif-timesteps") { Description = "With --lif: sequence lengths, comma-separated.", DefaultValueFactory = _ => "3,12", HelpName = "LIST" }.InGroup(HelpGroup.Measurement);
        var profile = new Option<bool>("--profile")
        {
            Description = "Profile one inference and one training step instead: time per component (ANN/SNN convs, LIF, BatchNorm, fusion parts, " +
                          "data movement), forward and backward, beside the machine limit (libtorch matmul and 3x3 conv GMAC/s on the same threads).",
        }.InGroup(HelpGroup.Measurement);
        var spikeConv = new Option<string>("--spike-conv")
        {
            Description = "Spike-input convolutions: auto (event-driven at inference when a cost model of the call's shape and firing predicts it faster), dense, or event-driven.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnly("auto", "dense", "event-driven").InGroup(HelpGroup.Measurement);
        var layout = new Option<string>("--layout")
        {
            Description = "Feature-map memory layout at inference: channels-last (NHWC memory, faster convolutions and pooling on the CPU) or contiguous (NCHW). Training runs contiguous.",
            DefaultValueFactory = _ => "channels-last",
        }.AcceptOnly("channels-last", "contiguous").InGroup(HelpGroup.Measurement);
        var convSweep = new Option<bool>("--conv-sweep")
        {
            Description = "Micro-benchmark one spiking 3x3 convolution instead: dense vs event-driven over input densities (--conv-shape, --conv-densities).",
        }.InGroup(HelpGroup.Measurement);
        var convShape = new Option<string>("--conv-shape") { Description = "With --conv-sweep: input N x C_in x H x W, output channels and stride, e.g. 24x64x28x28:64:1.", DefaultValueFactory = _ => "24x64x28x28:64:1", HelpName = "SHAPE" }.InGroup(HelpGroup.Measurement);
        var convDensities = new Option<string>("--conv-densities") { Description = "With --conv-sweep: input densities, comma-separated.", DefaultValueFactory = _ => "0.01,0.05,0.1,0.15,0.2,0.3,0.5", HelpName = "LIST" }.InGroup(HelpGroup.Measurement);
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure clips/s, s/step and peak RSS of the network, or time one LIF neuron (--lif).")
        {
            batch, steps, warmup, train, recompute, profile, lifKernel, spikeConv, layout, lif, lifShape, lifTimesteps, convSweep, convShape, convDensities, json, seed, allocator, threads,
        }.Document("Times inference, or with --train the trainer's own step (SGD); --lif compares the fused LIF kernel with op-by-op.",
            "respike bench --model respike --backbone resnet18 --image 112 --frames 16 --stride 4 --batch 2 --steps 3 --threads 2 --json b.json",
            "respike bench --train --steps 3 --threads 2 --json train.json",
            "respike bench --profile --steps 2 --threads 2 --json profile.json   # where a step's time goes",
            "respike bench --checkpoint runs/weizmann/best.safetensors --dataset ucf101 --root ../shared/data/weizmann4 --batch 2 --threads 2   # real weights, real clips",
            "respike bench --lif --lif-timesteps 3,12 --steps 5 --threads 2      # fused vs op-by-op LIF on 16x64x56x56",
            "respike bench --conv-sweep --conv-shape 24x64x28x28:64:1 --threads 2   # dense vs event-driven spike convolution");
        arch.AddTo(command);
        command.Options.Add(checkpoint);
        data.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyAllocator(parse.GetValue(allocator)!, training: parse.GetValue(train));
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            if (parse.GetValue(lif))
                return RunLif(ParseShape(parse.GetValue(lifShape)!), ParseTimesteps(parse.GetValue(lifTimesteps)!),
                              parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(json));
            if (parse.GetValue(convSweep))
                return RunConvSweep(parse.GetValue(convShape)!, ParseDensities(parse.GetValue(convDensities)!), parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(json));

            var weights = parse.GetValue(checkpoint) is { } given ? CommonOptions.ExistingFile(given, "--checkpoint") : null;
            var model = weights is null ? arch.Read(parse) : Checkpoint.ReadConfig(weights);
            int clipsPerStep = parse.GetValue(batch);
            using var realClips = data.AnyGiven(parse) ? TestClips(data.Read(parse), model, clipsPerStep) : null;
            var settings = new ThroughputBenchSettings
            {
                Model = model,
                Checkpoint = weights,
                Clips = realClips?.Clips,
                ClipsDescription = realClips?.Description,
                Batch = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                Warmup = parse.GetValue(warmup),
                Train = parse.GetValue(train),
                Seed = parse.GetValue(seed),
                LifKernel = parse.GetValue(lifKernel) switch { "op-by-op" => LifKernel.OpByOp, "fused" => LifKernel.Fused, _ => LifKernel.Auto },
                SpikeConvolution = parse.GetValue(spikeConv) switch { "dense" => SpikeConvolution.Dense, "event-driven" => SpikeConvolution.EventDriven, _ => SpikeConvolution.Auto },
                ChannelsLast = parse.GetValue(layout) == "channels-last",
                RecomputeSpikeLayers = parse.GetValue(recompute),
            };
            try { settings.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (parse.GetValue(profile)) return RunProfile(settings, parse.GetValue(json));

            var report = ThroughputBench.Run(settings, (i, seconds, isWarmup) =>
                AnsiConsole.MarkupLine($"[grey]{(isWarmup ? "warm-up" : "step")} {i + 1}: {seconds:F3} s[/]"));
            var table = new Table().AddColumns("measure", "value");
            table.AddRow("mode", $"{report.Mode} ({report.Model}/{report.Backbone}, image {report.Image}, {report.Frames} frames, stride {report.Stride}, batch {report.Batch})");
            table.AddRow("weights", Markup.Escape(report.Weights));
            table.AddRow("input", Markup.Escape(report.Input) + (report.FiringRate is { } rate ? $" (firing rate {rate:F4})" : ""));
            table.AddRow("threads", report.Threads.ToString(CultureInfo.InvariantCulture));
            table.AddRow("clips/s", report.ClipsPerS.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow("s/step", report.SPerStep.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow("peak RSS", report.PeakRssMb is { } mb ? $"{mb:F1} MiB" : "n/a (no /proc)");
            table.AddRow("LIF kernel", report.LifKernel);
            table.AddRow("spike convolutions", report.SpikeConvolution);
            table.AddRow("allocator", Markup.Escape(report.Allocator));
            table.AddRow("layout", report.Layout);
            if (report.RecomputeSpikeLayers) table.AddRow("spiking layers", "recomputed in backward from stored spikes");
            AnsiConsole.Write(table);
            if (parse.GetValue(json) is { } file) JsonReport.Write(file.FullName, report);
            return CliRunner.Ok;
        });
        return command;
    }

    static int RunLif(long[] shape, int[] timesteps, int repeats, int warmup, FileInfo? json)
    {
        var results = new List<LifBenchResult>();
        var table = new Table().AddColumns("T", "fwd op-by-op", "fwd fused", "x", "fwd+bwd op-by-op", "fwd+bwd fused", "x");
        foreach (int t in timesteps)
        {
            var r = LifBench.Run(t, shape, repeats, warmup);
            results.Add(r);
            table.AddRow(t.ToString(CultureInfo.InvariantCulture),
                         F(r.OpByOpForwardMs), F(r.FusedForwardMs), $"{r.ForwardSpeedup:F2}x",
                         F(r.OpByOpForwardBackwardMs), F(r.FusedForwardBackwardMs), $"{r.ForwardBackwardSpeedup:F2}x");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]milliseconds per call on {string.Join("x", shape)} neurons per step; median of {repeats} after {warmup} warm-up, {TorchSharp.torch.get_num_threads()} threads, allocator {Markup.Escape(NativeAllocator.Description)}[/]");
        if (json is not null) JsonReport.Write(json.FullName, results.Select(r => new
        {
            r.Timesteps, r.Shape, r.Threads, r.Repeats, r.OpByOpForwardMs, r.FusedForwardMs, r.OpByOpForwardBackwardMs, r.FusedForwardBackwardMs,
            r.OpByOpForwardBackwardBestMs, r.FusedForwardBackwardBestMs,
            ForwardSpeedup = Math.Round(r.ForwardSpeedup, 2), ForwardBackwardSpeedup = Math.Round(r.ForwardBackwardSpeedup, 2),
            Allocator = NativeAllocator.Description,
        }).ToList());
        return CliRunner.Ok;
    }

    static int RunProfile(ThroughputBenchSettings settings, FileInfo? json)
    {
        var report = StepProfiler.Run(settings);
        var limit = report.MachineLimit;
        AnsiConsole.MarkupLine($"machine limit ({limit.Threads} threads, this libtorch): matmul {limit.MatmulGmacPerS:F1} GMAC/s, 3x3 conv {limit.Conv3x3GmacPerS:F1} GMAC/s");
        foreach (var step in new[] { report.Inference, report.Training })
        {
            var table = new Table().AddColumns("component", "forward ms", "backward ms", "share", "dense GMAC", "GMAC/s", "of matmul");
            double total = step.StepSeconds;
            foreach (var c in step.Components)
                table.AddRow(Markup.Escape(c.Component), Ms(c.ForwardSeconds), Ms(c.BackwardSeconds), $"{100 * c.TotalSeconds / total:F1} %",
                             c.ForwardGmacs > 0 ? c.ForwardGmacs.ToString("F2", CultureInfo.InvariantCulture) : "",
                             c.ForwardGmacPerS is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : "",
                             c.ForwardGmacPerS is { } f ? $"{100 * f / limit.MatmulGmacPerS:F0} %" : "");
            if (step.OptimizerSeconds > 0) table.AddRow("optimizer step (SGD)", "", Ms(step.OptimizerSeconds), $"{100 * step.OptimizerSeconds / total:F1} %", "", "", "");
            table.AddRow("unattributed (autograd, loss, between calls)", "", Ms(step.UnattributedSeconds), $"{100 * step.UnattributedSeconds / total:F1} %", "", "", "");
            AnsiConsole.MarkupLine($"\n[bold]{step.Mode}[/]: {Ms(step.StepSeconds)} ms per profiled step ({Ms(step.UnprofiledStepSeconds)} ms without hooks); " +
                                   $"{step.DenseGmacs:F2} dense GMAC per forward = {step.DenseGmacPerS:F1} GMAC/s");
            AnsiConsole.Write(table);
            var layers = new Table().AddColumns("most expensive modules", "forward ms", "backward ms");
            foreach (var l in step.TopLayers.Take(8)) layers.AddRow(Markup.Escape(l.Module), Ms(l.ForwardSeconds), Ms(l.BackwardSeconds));
            AnsiConsole.Write(layers);
        }
        AnsiConsole.MarkupLine($"inference runs at {100 * report.InferenceFractionOfMatmul:F1} % of the matmul limit (dense-equivalent GMAC/s / matmul GMAC/s; " +
                               "event-driven spike convolutions count the work they skip)");
        AnsiConsole.MarkupLine($"the always-dense layers (ANN convolutions, fusion linears) run at {100 * report.DenseLayersFractionOfMatmul:F1} % of it");
        if (json is not null) JsonReport.Write(json.FullName, report);
        return CliRunner.Ok;
    }

    /// <summary>A batch of the dataset's test clips, decoded for the model's frames and size.</summary>
    sealed class RealClips(Tensor clips, string description) : IDisposable
    {
        public Tensor Clips { get; } = clips;
        public string Description { get; } = description;
        public void Dispose() => Clips.Dispose();
    }

    static RealClips TestClips(DatasetSpec spec, ReSpikeConfig model, int count)
    {
        var (dataset, reader) = spec.Open(DatasetSubset.Test);
        var indexed = IndexedDataset.Build(dataset, reader);
        try { return new RealClips(ClipSamples.TestBatch(indexed, model.Frames, model.ImageSize, count), $"{count} test clips of {dataset.Name} (centre crop)"); }
        catch (ArgumentException e) { throw new UsageException("--batch: " + e.Message); }
    }

    static int RunConvSweep(string shapeText, double[] densities, int repeats, int warmup, FileInfo? json)
    {
        var parts = shapeText.Split(':');
        if (parts.Length != 3 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long outChannels) || outChannels < 1
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out long stride) || stride < 1)
            throw new UsageException($"--conv-shape: expected NxCxHxW:C_out:stride like 24x64x28x28:64:1, got '{shapeText}'");
        var shape = ParseShape(parts[0], "--conv-shape");
        if (shape.Length != 4) throw new UsageException($"--conv-shape: the input needs 4 sizes N x C_in x H x W, got '{parts[0]}'");
        var results = SpikeConvBench.Run(shape, outChannels, stride, densities, repeats, warmup);
        var table = new Table().AddColumns("density", "dense ms", "event-driven ms", "x", "max rel diff");
        foreach (var r in results)
            table.AddRow(r.Density.ToString("G3", CultureInfo.InvariantCulture), F(r.DenseMs), F(r.EventDrivenMs), $"{r.Speedup:F2}x", r.MaxRelativeDifference.ToString("E1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]3x3 conv, input {string.Join("x", shape)}, {outChannels} output channels, stride {stride}; best of {repeats} after {warmup} warm-up, {TorchSharp.torch.get_num_threads()} threads; " +
                               "auto picks the path its cost model (EventDrivenCostModel) predicts faster[/]");
        if (json is not null) JsonReport.Write(json.FullName, results.Select(r => new { r.Density, r.DenseMs, r.EventDrivenMs, Speedup = Math.Round(r.Speedup, 2), r.MaxRelativeDifference, Shape = shape, OutChannels = outChannels, Stride = stride }).ToList());
        return CliRunner.Ok;
    }

    static double[] ParseDensities(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts.All(p => double.TryParse(p, CultureInfo.InvariantCulture, out var d) && d >= 0 && d <= 1))
            throw new UsageException($"--conv-densities: expected fractions in [0, 1] like 0.05,0.1, got '{text}'");
        return [.. parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture))];
    }

    static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);

    static string F(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);

    static long[] ParseShape(string text, string flag = "--lif-shape")
    {
        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || !parts.All(p => long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d > 0))
            throw new UsageException($"{flag}: expected sizes like 16x64x56x56, got '{text}'");
        return [.. parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture))];
    }

    static int[] ParseTimesteps(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && t > 0))
            throw new UsageException($"--lif-timesteps: expected positive counts like 3,12, got '{text}'");
        return [.. parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }
}
