namespace ReSpike.Data.Formats;

/// <summary>Finds the folder holding a dataset's annotation files among the usual places.</summary>
static class AnnotationFolder
{
    public static string Find(string? given, string root, string marker, params string[] subfolders)
    {
        if (given is not null)
        {
            if (!Directory.Exists(given)) throw new DirectoryNotFoundException($"--annotations: folder not found: {given}");
            return given;
        }
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--root: folder not found: {root}");
        var candidates = new[] { root }.Concat(subfolders.Select(s => Path.Combine(root, s))).ToList();
        foreach (var c in candidates)
            if (Directory.Exists(c) && Directory.EnumerateFiles(c, marker).Any()) return c;
        throw new FileNotFoundException(
            $"no '{marker}' in {string.Join(" or ", candidates)}; pass --annotations DIR to say where the split files are");
    }
}
