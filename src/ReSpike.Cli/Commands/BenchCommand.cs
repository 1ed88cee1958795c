using System.CommandLine;
using System.Globalization;
using ReSpike.Benchmarks;
using ReSpike.Models;
using ReSpike.Runtime;
using ReSpike.Spiking.Neurons;
using Spectre.Console;

namespace ReSpike.Cli.Commands;

/// <summary>`respike bench`: throughput and peak memory of the network (or, with --lif, of one LIF neuron).</summary>
static class BenchCommand
{
    public static Command Create()
    {
        var arch = new ArchitectureOptions(image: 112, classes: 51);
        var batch = new Option<int>("--batch") { Description = "Clips per step.", DefaultValueFactory = _ => 2 }.InGroup(HelpGroup.Measurement);
        var steps = new Option<int>("--steps") { Description = "Timed steps (with --lif: timed repeats per variant).", DefaultValueFactory = _ => 3 }.InGroup(HelpGroup.Measurement);
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before timing.", DefaultValueFactory = _ => 1 }.InGroup(HelpGroup.Measurement);
        var train = new Option<bool>("--train") { Description = "Time SGD training steps (momentum 0.9, weight decay 1e-4, cross-entropy on random labels) instead of inference." }.InGroup(HelpGroup.Measurement);
        var threads = CommonOptions.Threads();
        var seed = new Option<int>("--seed") { Description = "Seed for weights, clip and labels.", DefaultValueFactory = _ => 1001 }.InGroup(HelpGroup.Run);
        var lifKernel = new Option<string>("--lif-kernel") { Description = "Spiking neurons: auto (fused kernel when applicable), op-by-op, or fused.", DefaultValueFactory = _ => "auto" }
            .AcceptOnly("auto", "op-by-op", "fused").InGroup(HelpGroup.Measurement);
        var allocator = new Option<string>("--allocator")
        {
            Description = "glibc malloc profile, applied before the model is built: auto (compact with --train, reuse otherwise), " +
                          "reuse (fastest: keep freed tensor memory), compact (smallest RSS: large tensors mmap'ed and returned), default (glibc's own).",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnly(NativeAllocator.Choices).InGroup(HelpGroup.Run);
        var lif = new Option<bool>("--lif") { Description = "Micro-benchmark one LIF neuron instead: fused kernel vs op-by-op, forward and forward+backward." }.InGroup(HelpGroup.Measurement);
        var lifShape = new Option<string>("--lif-shape") { Description = "With --lif: neurons per timestep, e.g. 16x64x56x56.", DefaultValueFactory = _ => "16x64x56x56", HelpName = "SHAPE" }.InGroup(HelpGroup.Measurement);
        var lifTimesteps = new Option<string>("--lif-timesteps") { Description = "With --lif: sequence lengths, comma-separated.", DefaultValueFactory = _ => "3,12", HelpName = "LIST" }.InGroup(HelpGroup.Measurement);
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure clips/s, s/step and peak RSS of the network, or time one LIF neuron (--lif).")
        {
            batch, steps, warmup, train, lifKernel, lif, lifShape, lifTimesteps, json, seed, allocator, threads,
        }.Document("Times inference, or with --train the trainer's own step (SGD); --lif compares the fused LIF kernel with op-by-op.",
            "respike bench --model respike --backbone resnet18 --image 112 --frames 16 --stride 4 --batch 2 --steps 3 --threads 2 --json b.json",
            "respike bench --train --steps 3 --threads 2 --json train.json",
            "respike bench --lif --lif-timesteps 3,12 --steps 5 --threads 2      # fused vs op-by-op LIF on 16x64x56x56");
        arch.AddTo(command);
        command.SetAction(parse =>
        {
            NativeAllocator.Apply(NativeAllocator.Choose(parse.GetValue(allocator)!, training: parse.GetValue(train)));
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            if (parse.GetValue(lif))
                return RunLif(ParseShape(parse.GetValue(lifShape)!), ParseTimesteps(parse.GetValue(lifTimesteps)!),
                              parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(json));

            var settings = new ThroughputBenchSettings
            {
                Model = arch.Read(parse),
                Batch = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                Warmup = parse.GetValue(warmup),
                Train = parse.GetValue(train),
                Seed = parse.GetValue(seed),
                LifKernel = parse.GetValue(lifKernel) switch { "op-by-op" => LifKernel.OpByOp, "fused" => LifKernel.Fused, _ => LifKernel.Auto },
            };
            try { settings.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var report = ThroughputBench.Run(settings, (i, seconds, isWarmup) =>
                AnsiConsole.MarkupLine($"[grey]{(isWarmup ? "warm-up" : "step")} {i + 1}: {seconds:F3} s[/]"));
            var table = new Table().AddColumns("measure", "value");
            table.AddRow("mode", $"{report.Mode} ({report.Model}/{report.Backbone}, image {report.Image}, {report.Frames} frames, stride {report.Stride}, batch {report.Batch})");
            table.AddRow("threads", report.Threads.ToString(CultureInfo.InvariantCulture));
            table.AddRow("clips/s", report.ClipsPerS.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow("s/step", report.SPerStep.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow("peak RSS", report.PeakRssMb is { } mb ? $"{mb:F1} MiB" : "n/a (no /proc)");
            table.AddRow("LIF kernel", report.LifKernel);
            table.AddRow("allocator", Markup.Escape(report.Allocator));
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

    static string F(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);

    static long[] ParseShape(string text)
    {
        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || !parts.All(p => long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d > 0))
            throw new UsageException($"--lif-shape: expected sizes like 16x64x56x56, got '{text}'");
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
