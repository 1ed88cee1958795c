using System.Text;

namespace ReSpike.IO;

/// <summary>
/// Writes files so that readers never see half of one: write a temp file beside it (".name.PID.GUID.tmp"), then
/// rename. A process killed mid-write (kill -9, power cut of the process) leaves the old file intact and at most a
/// stale temp file, which <see cref="RemoveLeftovers"/> clears.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = TempPath(full);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { var bytes = new UTF8Encoding(false).GetBytes(text); s.Write(bytes); });

    /// <summary>The temp file a write of <paramref name="fullPath"/> by this process goes through.</summary>
    static string TempPath(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Removes the temp files that killed writers left in <paramref name="directory"/> and returns how many. A folder
    /// can be shared by several processes (the frame cache is), so a temp file is only removed when the process that
    /// wrote it is gone; this process's own temp files count as leftovers (call it before writing anything there).
    /// </summary>
    public static int RemoveLeftovers(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var tmp in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            if (WriterIsAlive(Path.GetFileName(tmp))) continue;
            try { File.Delete(tmp); removed++; } catch (IOException) { }
        }
        return removed;
    }

    static bool WriterIsAlive(string tempName)
    {
        var parts = tempName.Split('.');
        if (parts.Length < 4 || !int.TryParse(parts[^3], out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
