using System.IO.Compression;

namespace ReSpike.Data.Images;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (LeCun's): a big-endian header — two zero bytes, the element type
/// (0x08 = unsigned byte), the number of dimensions — then each dimension's size and the data. Files may be
/// gzip-compressed (as Debian's dataset-fashion-mnist ships them).
/// </summary>
public static class IdxFile
{
    const byte UnsignedByte = 0x08;

    /// <summary>Reads an unsigned-byte IDX file: its dimensions and data.</summary>
    public static (int[] Shape, byte[] Data) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(4);
        if (magic.Length != 4 || magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (the first two bytes must be zero)");
        if (magic[2] != UnsignedByte)
            throw new InvalidDataException($"{path}: IDX element type 0x{magic[2]:X2} is not supported (only 0x08, unsigned bytes)");
        int dims = magic[3];
        if (dims is < 1 or > 4) throw new InvalidDataException($"{path}: IDX file with {dims} dimensions (expected 1 to 4)");
        var shape = new int[dims];
        long total = 1;
        for (int i = 0; i < dims; i++)
        {
            var b = reader.ReadBytes(4);
            if (b.Length != 4) throw new InvalidDataException($"{path}: truncated IDX header");
            shape[i] = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
            if (shape[i] < 0) throw new InvalidDataException($"{path}: negative IDX dimension");
            total *= shape[i];
        }
        if (total > int.MaxValue) throw new InvalidDataException($"{path}: {total} elements is too many");
        var data = reader.ReadBytes((int)total);
        if (data.Length != total) throw new InvalidDataException($"{path}: {data.Length} data bytes, the header promises {total}");
        return (shape, data);
    }
}
