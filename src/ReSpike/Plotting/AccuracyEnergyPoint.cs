using System.Text.Json;

namespace ReSpike.Plotting;

/// <summary>
/// One model on the accuracy-energy plane, read from an eval report JSON: accuracy from <c>video_top1</c>
/// (else <c>clip_top1</c>), energy from <c>energy_mj</c>, name from <c>model</c> (else the file name).
/// Accuracies in [0, 1] are taken as fractions and shown in percent.
/// </summary>
public sealed record AccuracyEnergyPoint(string Label, double Top1Percent, double EnergyMj, string AccuracyField, string File)
{
    public static AccuracyEnergyPoint Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"report {path} does not exist", path);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(System.IO.File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object (an eval report)");
            string field = root.TryGetProperty("video_top1", out var v) && v.ValueKind == JsonValueKind.Number ? "video_top1"
                : root.TryGetProperty("clip_top1", out var c) && c.ValueKind == JsonValueKind.Number ? "clip_top1"
                : throw new InvalidDataException($"{path}: no numeric 'video_top1' or 'clip_top1' field");
            double top1 = root.GetProperty(field).GetDouble();
            if (!root.TryGetProperty("energy_mj", out var e) || e.ValueKind != JsonValueKind.Number)
                throw new InvalidDataException($"{path}: no numeric 'energy_mj' field (add the figure from 'respike energy')");
            double energy = e.GetDouble();
            if (top1 < 0 || top1 > 100) throw new InvalidDataException($"{path}: {field} = {top1} is not an accuracy");
            if (energy < 0 || !double.IsFinite(energy)) throw new InvalidDataException($"{path}: energy_mj = {energy} is not an energy");
            string label = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } name
                ? name
                : Path.GetFileNameWithoutExtension(path);
            return new AccuracyEnergyPoint(label, top1 <= 1 ? top1 * 100 : top1, energy, field, path);
        }
    }
}
