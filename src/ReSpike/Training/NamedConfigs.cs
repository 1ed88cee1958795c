namespace ReSpike.Training;

/// <summary>
/// The named training configs (configs/*.json, mmaction2-style names <c>{model}_{backbone}_{T}x{s}_{epochs}e_{dataset}</c>) and
/// how `train --config NAME_OR_FILE` finds one. A value with a path separator or ending in .json is a file path (relative
/// to the working directory); a bare name is looked up in, in order: (1) the configs/ folder of the source checkout the
/// program runs from (the first folder above the executable holding ReSpike.sln and configs/), so edits apply when running
/// from source; (2) configs/ beside the executable (the build copies it there, so a published binary finds it).
/// </summary>
public static class NamedConfigs
{
    /// <summary>The folders searched for a bare name, in order; only those that exist.</summary>
    public static IReadOnlyList<string> SearchFolders(string? baseDirectory = null)
    {
        var start = baseDirectory ?? AppContext.BaseDirectory;
        var folders = new List<string>();
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ReSpike.sln")) && Directory.Exists(Path.Combine(d.FullName, "configs")))
            {
                folders.Add(Path.Combine(d.FullName, "configs"));
                break;
            }
        var beside = Path.Combine(Path.GetFullPath(start), "configs");
        if (Directory.Exists(beside) && !folders.Contains(beside)) folders.Add(beside);
        return folders;
    }

    /// <summary>True when <paramref name="value"/> names a file rather than a config name.</summary>
    public static bool IsPath(string value) =>
        value.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || value.Contains('/') || value.Contains(Path.DirectorySeparatorChar);

    /// <summary>The names available in <paramref name="folders"/> (file names without .json), sorted, first folder winning.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string>? folders = null) =>
        (folders ?? SearchFolders()).SelectMany(f => Directory.GetFiles(f, "*.json")).Select(Path.GetFileNameWithoutExtension)
            .OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The config file <paramref name="nameOrFile"/> denotes: a path as it is (it must exist), a bare name in the search folders.
    /// Unknown names are an <see cref="ArgumentException"/> listing the available ones and where they were looked for.
    /// </summary>
    public static string Resolve(string nameOrFile, IReadOnlyList<string>? folders = null)
    {
        if (IsPath(nameOrFile))
            return File.Exists(nameOrFile) ? Path.GetFullPath(nameOrFile) : throw new FileNotFoundException($"--config: file not found: {Path.GetFullPath(nameOrFile)}", nameOrFile);
        folders ??= SearchFolders();
        foreach (var folder in folders)
        {
            var file = Path.Combine(folder, nameOrFile + ".json");
            if (File.Exists(file)) return file;
        }
        var names = Names(folders);
        var where = folders.Count == 0 ? "no configs/ folder was found (looked above and beside " + AppContext.BaseDirectory + ")" : "looked in " + string.Join(", ", folders);
        throw new ArgumentException($"--config: no config named '{nameOrFile}' ({where}); " +
                                    (names.Count > 0 ? $"available: {string.Join(", ", names)}" : "none available") + "; or pass a file path (e.g. runs/x/config.json)");
    }
}
