using System.Security.Cryptography;
using System.Text;
using ReSpike.IO;
using ReSpike.Video;

namespace ReSpike.Data.Cache;

/// <summary>
/// A folder of decoded videos (uint8 frames at a chosen shorter side) that later epochs read without
/// ffmpeg. An entry's name is a hash of the source's full path, size and modification time and of the
/// decode settings, so a changed file or setting is a miss, never a stale hit. Entries are written
/// atomically; a video that fails to decode leaves a small ".failed" note with the reason, so a rerun
/// skips it (until the file changes) and reports it again. Reading an entry that is not there yet
/// decodes and stores it (read-through), so prepare is an optimisation, not a requirement.
/// </summary>
public sealed class FrameCache : IFrameReader
{
    public FrameCache(string directory, DecodeOptions options, bool compress = false)
    {
        options.Validate();
        Directory.CreateDirectory(directory);
        Root = Path.GetFullPath(directory);
        Options = options;
        Compress = compress;
    }

    public string Root { get; }
    public DecodeOptions Options { get; }
    public bool Compress { get; }

    public string EntryPath(VideoEntry video) => Path.Combine(Root, Key(video.Path) + ".rsfc");

    string FailurePath(VideoEntry video) => Path.Combine(Root, Key(video.Path) + ".failed");

    /// <summary>Hex key of (full path, size, mtime, decode settings); frames folders use the folder's newest file.</summary>
    public string Key(string path)
    {
        var full = Path.GetFullPath(path);
        long size;
        DateTime modified;
        if (Directory.Exists(full))
        {
            var files = Directory.GetFiles(full);
            size = files.Sum(f => new FileInfo(f).Length);
            modified = files.Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(Directory.GetLastWriteTimeUtc(full)).Max();
        }
        else if (File.Exists(full))
        {
            var info = new FileInfo(full);
            size = info.Length;
            modified = info.LastWriteTimeUtc;
        }
        else throw new VideoDecodeException(path, "file not found");
        var text = $"{full}\n{size}\n{modified.Ticks}\n{Options.CacheKey()}\n{(Compress ? "deflate" : "raw")}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    public bool Contains(VideoEntry video) => File.Exists(EntryPath(video));

    /// <summary>The reason recorded for a video that failed before, or null.</summary>
    public string? RecordedFailure(VideoEntry video)
    {
        var path = FailurePath(video);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Decodes and stores one video unless already cached; throws VideoDecodeException (and records it) on failure.</summary>
    public bool Ensure(VideoEntry video) => Ensure(video, out _);

    /// <summary>As <see cref="Ensure(VideoEntry)"/>, also giving the entry's path (the key is computed once: for frames folders it lists the folder).</summary>
    bool Ensure(VideoEntry video, out string entry)
    {
        var key = Key(video.Path);
        entry = Path.Combine(Root, key + ".rsfc");
        if (File.Exists(entry)) return false;
        var failure = Path.Combine(Root, key + ".failed");
        if (File.Exists(failure)) throw new VideoDecodeException(video.Path, File.ReadAllText(failure));
        FrameStack frames;
        try
        {
            frames = VideoDecoder.Decode(video.Path, Options);
        }
        catch (VideoDecodeException e) when (!e.Transient)
        {
            // a verdict on the file: remembered until the file changes; timeouts are retried next time
            AtomicFile.WriteAllText(failure, e.Reason);
            throw;
        }
        FrameCacheFile.Write(entry, frames, Compress);
        return true;
    }

    public int FrameCount(VideoEntry video)
    {
        Ensure(video, out var entry);
        return FrameCacheFile.ReadHeader(entry).Frames;
    }

    public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices)
    {
        Ensure(video, out var entry);
        return FrameCacheFile.Read(entry, indices);
    }

    /// <summary>
    /// Removes temp files an interrupted run left behind (see <see cref="AtomicFile.RemoveLeftovers"/>). The cache can be
    /// shared by several processes, so a temp file is only removed when the process that wrote it is gone.
    /// </summary>
    public int RemoveLeftovers() => AtomicFile.RemoveLeftovers(Root);
}
