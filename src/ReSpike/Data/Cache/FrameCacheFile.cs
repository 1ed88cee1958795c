using System.Buffers.Binary;
using System.IO.Compression;
using ReSpike.IO;
using ReSpike.Video;

namespace ReSpike.Data.Cache;

/// <summary>
/// One cached video: a small header, a frame offset table, then each frame's RGB bytes compressed
/// on its own (Deflate, fastest), so a clip reads only its frames. Layout (little-endian):
/// "RSPKFC01", int32 frames, height, width, compression; int64 offsets[frames + 1]; payload.
/// </summary>
public static class FrameCacheFile
{
    static ReadOnlySpan<byte> Magic => "RSPKFC01"u8;
    const int HeaderBytes = 8 + 4 * 4;

    public const int Raw = 0, Deflate = 1;

    /// <summary>Writes atomically: a crash leaves either no entry or a whole one, never half of one.</summary>
    public static void Write(string path, FrameStack frames, bool compress = true)
    {
        var payloads = new byte[frames.Count][];
        Parallel.For(0, frames.Count, t =>
        {
            var frame = frames.Frame(t);
            if (!compress) { payloads[t] = frame.ToArray(); return; }
            using var buffer = new MemoryStream(frame.Length / 2);
            using (var deflate = new DeflateStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(frame);
            payloads[t] = buffer.ToArray();
        });
        AtomicFile.Write(path, stream =>
        {
            var header = new byte[HeaderBytes + 8 * (frames.Count + 1)];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), frames.Count);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), frames.Height);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), frames.Width);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), compress ? Deflate : Raw);
            long offset = 0;
            for (int t = 0; t <= frames.Count; t++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(HeaderBytes + 8 * t), offset);
                if (t < frames.Count) offset += payloads[t].Length;
            }
            stream.Write(header);
            foreach (var p in payloads) stream.Write(p);
        });
    }

    /// <summary>A cache file's header: frame count and size, compression, and where each frame's bytes start.</summary>
    public sealed record Header(int Frames, int Height, int Width, int Compression, long[] Offsets, long DataStart);

    public static Header ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadHeader(stream, path);
    }

    static Header ReadHeader(FileStream stream, string path)
    {
        var fixedPart = new byte[HeaderBytes];
        if (stream.Read(fixedPart) != HeaderBytes || !fixedPart.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a ReSpike frame-cache entry (bad magic); delete it and run 'respike prepare' again");
        int frames = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(8));
        int height = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(12));
        int width = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(16));
        int compression = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(20));
        if (frames < 1 || height < 1 || width < 1 || (long)height * width * 3 > int.MaxValue || compression is not (Raw or Deflate))
            throw new InvalidDataException($"{path}: corrupt frame-cache header ({frames} frames, {width}x{height}, compression {compression}); delete it and run 'respike prepare' again");
        // a damaged header must not become a huge allocation or a negative read later
        long dataStart = HeaderBytes + 8L * ((long)frames + 1);
        if (dataStart > stream.Length)
            throw new InvalidDataException($"{path}: frame-cache entry is {stream.Length} bytes, too short for the offset table of {frames} frames; delete it and run 'respike prepare' again");
        var table = new byte[checked((int)(dataStart - HeaderBytes))];
        stream.ReadExactly(table);
        var offsets = new long[frames + 1];
        for (int t = 0; t <= frames; t++)
        {
            offsets[t] = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(8 * t));
            if (t == 0 ? offsets[0] != 0 : offsets[t] < offsets[t - 1] || offsets[t] - offsets[t - 1] > int.MaxValue)
                throw new InvalidDataException($"{path}: corrupt frame-cache offset table at frame {t}; delete it and run 'respike prepare' again");
        }
        if (dataStart + offsets[^1] != stream.Length)
            throw new InvalidDataException($"{path}: frame-cache entry is {stream.Length} bytes, its table says {dataStart + offsets[^1]}; delete it and run 'respike prepare' again");
        return new Header(frames, height, width, compression, offsets, dataStart);
    }

    /// <summary>The frames at the given indices (repeats allowed).</summary>
    public static FrameStack Read(string path, IReadOnlyList<int> indices)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        var header = ReadHeader(stream, path);
        int frameBytes = header.Height * header.Width * 3;
        var rgb = new byte[(long)indices.Count * frameBytes];
        var compressed = Array.Empty<byte>();
        for (int i = 0; i < indices.Count; i++)
        {
            int t = indices[i];
            if ((uint)t >= (uint)header.Frames) throw new ArgumentOutOfRangeException(nameof(indices), t, $"{path} has {header.Frames} frames");
            var target = rgb.AsSpan(i * frameBytes, frameBytes);
            int j = IndexOfEarlier(indices, i);
            if (j >= 0) { rgb.AsSpan(j * frameBytes, frameBytes).CopyTo(target); continue; } // looped clips repeat frames
            int length = checked((int)(header.Offsets[t + 1] - header.Offsets[t]));
            stream.Position = header.DataStart + header.Offsets[t];
            if (header.Compression == Raw)
            {
                if (length != frameBytes) throw new InvalidDataException($"{path}: frame {t} has {length} bytes, expected {frameBytes}");
                stream.ReadExactly(target);
                continue;
            }
            if (compressed.Length < length) compressed = new byte[length];
            stream.ReadExactly(compressed, 0, length);
            using var inflate = new DeflateStream(new MemoryStream(compressed, 0, length), CompressionMode.Decompress);
            inflate.ReadExactly(target);
        }
        return new FrameStack(indices.Count, header.Height, header.Width, rgb);
    }

    static int IndexOfEarlier(IReadOnlyList<int> indices, int i)
    {
        for (int j = 0; j < i; j++) if (indices[j] == indices[i]) return j;
        return -1;
    }
}
