using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReSpike.IO;
using ReSpike.Plotting;
using ReSpike.Training;

namespace ReSpike.Experiments;

/// <summary>
/// Writes an experiment's reports from its cells' results: NAME.md (settings and tables), NAME.csv (one row per cell),
/// NAME.json (<c>cells</c>: id, model, video_top1, clip_top1, energy_mj, params, train_seconds, per_class, ...), the
/// accuracy-energy scatter NAME.png and, for a stride sweep, NAME_per_stride.png (accuracy and energy against s, Fig. 5).
/// Every file is written whole (temp file, then rename).
/// </summary>
public static class ExperimentReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(ExperimentFiles files, ExperimentSettings settings, IReadOnlyList<CellResult> cells, IReadOnlyList<string> missing)
    {
        var shared = SharedSettings(settings);
        AtomicFile.WriteAllText(files.Markdown, Markdown(settings, shared, cells, missing));
        AtomicFile.WriteAllText(files.Csv, Csv(cells));
        var json = new JsonObject
        {
            ["experiment"] = settings.Name,
            ["settings"] = shared,
            ["missing"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]),
            ["cells"] = JsonSerializer.SerializeToNode(cells),
        };
        AtomicFile.WriteAllText(files.Json, json.ToJsonString(Indented) + "\n");
        if (cells.Count == 0) return;
        ScatterChart.Write(files.AccuracyEnergyPlot, cells.Select(c => new LabelledPoint(c.EnergyMj, c.VideoTop1 * 100, $"{c.Id} {c.Model}")).ToList(),
                           $"{settings.Name}: video top-1 vs energy per clip", "energy per clip (mJ, 45 nm)", "video-level top-1 (%)");
        var strided = cells.Where(c => settings.Cells.First(s => s.Id == c.Id).Stride is not null).OrderBy(c => c.Stride).ToList();
        if (strided.Count > 0)
        {
            // two series on one axis need one unit: accuracy in %, energy in % of the largest stride's
            double maxEnergy = strided.Max(c => c.EnergyMj);
            LineChart.Write(files.StridePlot,
            [
                new LineSeries("video top-1 (%)", strided.Select(c => (double)c.Stride).ToList(), strided.Select(c => c.VideoTop1 * 100).ToList()),
                new LineSeries($"energy (% of {maxEnergy:0.###} mJ)", strided.Select(c => (double)c.Stride).ToList(),
                               strided.Select(c => maxEnergy > 0 ? c.EnergyMj / maxEnergy * 100 : 0).ToList()),
            ], $"{settings.Name}: accuracy and energy per key-frame stride", "stride s", "%");
        }
    }

    /// <summary>The settings every cell shares, read from the first cell's plan (its model and stride left out).</summary>
    static JsonObject SharedSettings(ExperimentSettings settings)
    {
        var json = new JsonObject
        {
            ["config"] = settings.Config,
            ["sets"] = new JsonArray([.. settings.Sets.Select(s => (JsonNode)s)]),
            ["splits"] = settings.Splits is null ? null : new JsonArray([.. settings.Splits.Select(s => (JsonNode)s)]),
            ["energy_samples"] = settings.EnergySamples,
        };
        var first = Path.Combine(Path.GetFullPath(settings.OutputDirectory), settings.Cells[0].Id);
        var config = settings.Splits is { Count: > 0 } s ? Path.Combine(first, $"split{s[0]}", "config.json") : Path.Combine(first, "config.json");
        if (File.Exists(config))
        {
            var o = TrainingOptions.FromJsonFile(config);
            json["dataset"] = o.Data.Kind.ToString().ToLowerInvariant() + (o.Data.Root is { } root ? $" ({root})" : "");
            json["frames"] = o.Model.Frames;
            json["image"] = o.Model.ImageSize;
            json["backbone"] = o.Model.Backbone;
            json["epochs"] = o.Epochs;
            json["batch"] = o.BatchSize;
            json["optimizer"] = o.Optimizer;
            json["lr"] = o.LearningRate;
            json["seed"] = o.Seed;
            json["sampling"] = o.Sampling;
            json["pretrained"] = o.Pretrained is not null;
        }
        return json;
    }

    static string Markdown(ExperimentSettings settings, JsonObject shared, IReadOnlyList<CellResult> cells, IReadOnlyList<string> missing)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {settings.Name}");
        md.AppendLine();
        md.AppendLine("Shared settings: " + string.Join(", ", shared.Where(kv => kv.Value is not null && kv.Key != "sets").Select(kv => $"{kv.Key} {kv.Value!.ToJsonString()}")) +
                      (settings.Sets.Count > 0 ? ", --set " + string.Join(" --set ", settings.Sets) : "") + ".");
        md.AppendLine("Accuracies are of the final model (last.safetensors) on the test subset; energy per clip at 45 nm (4.6 pJ/MAC, 0.9 pJ/AC) " +
                      $"with firing rates averaged over {settings.EnergySamples} test clips" +
                      (settings.Splits is { Count: > 1 } ? $"; every figure is the mean over splits {string.Join(", ", settings.Splits)}" : "") + ".");
        if (missing.Count > 0) md.AppendLine($"Not finished yet: {string.Join(", ", missing)} (rerun the same command to continue).");
        md.AppendLine();
        md.AppendLine("| id | model | inputs | s | video top-1 % | clip top-1 % | energy mJ | G MAC | G AC | firing rate | params | train s |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in cells)
            md.AppendLine(string.Create(Inv, $"| {c.Id} | {c.Model} | {c.Inputs} | {c.Stride} | {c.VideoTop1 * 100:0.0} | {c.ClipTop1 * 100:0.0} | {c.EnergyMj:0.###} | {c.Gmacs:0.###} | {c.Gacs:0.###} | {c.FiringRate:0.####} | {c.Params:N0} | {c.TrainSeconds:0} |"));
        var classes = cells.SelectMany(c => c.PerClass.Keys).Distinct().ToList();
        if (classes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Video-level accuracy per class (%):");
            md.AppendLine();
            md.AppendLine("| class | " + string.Join(" | ", cells.Select(c => c.Id)) + " |");
            md.AppendLine("|---|" + string.Concat(cells.Select(_ => "---|")));
            foreach (var name in classes)
                md.AppendLine($"| {name} | " + string.Join(" | ", cells.Select(c => c.PerClass.TryGetValue(name, out var a) ? (a * 100).ToString("0.0", Inv) : "–")) + " |");
        }
        return md.ToString();
    }

    static string Csv(IReadOnlyList<CellResult> cells)
    {
        var csv = new StringBuilder("id,model,inputs,stride,video_top1,clip_top1,energy_mj,gmacs,gacs,firing_rate,params,train_seconds\n");
        foreach (var c in cells)
            csv.AppendLine(string.Create(Inv, $"{c.Id},{c.Model},\"{c.Inputs}\",{c.Stride},{c.VideoTop1:R},{c.ClipTop1:R},{c.EnergyMj:R},{c.Gmacs:R},{c.Gacs:R},{c.FiringRate:R},{c.Params},{c.TrainSeconds:0.###}"));
        return csv.ToString();
    }
}
