namespace ReSpike.Data;

/// <summary>The dataset layouts the loaders understand (names are the CLI's --dataset values).</summary>
public enum DatasetKind { Synthetic, Ucf101, Hmdb51, Kinetics400, Folder, Rawframes }

/// <summary>The --dataset names of <see cref="DatasetKind"/> and the parsing between them.</summary>
public static class DatasetKinds
{
    public static readonly IReadOnlyList<string> Names = ["synthetic", "ucf101", "hmdb51", "kinetics400", "folder", "rawframes"];

    public static DatasetKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "synthetic" => DatasetKind.Synthetic,
        "ucf101" => DatasetKind.Ucf101,
        "hmdb51" => DatasetKind.Hmdb51,
        "kinetics400" or "kinetics" or "k400" => DatasetKind.Kinetics400,
        "folder" => DatasetKind.Folder,
        "rawframes" => DatasetKind.Rawframes,
        _ => throw new ArgumentException($"--dataset: unknown dataset '{name}' (use {string.Join(", ", Names)})"),
    };
}
