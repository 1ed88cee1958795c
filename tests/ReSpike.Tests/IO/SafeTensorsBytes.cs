using System.Buffers.Binary;
using System.Text;

namespace ReSpike.Tests.IO;

/// <summary>Builds files the way Python's reference writer lays them out: struct.pack('&lt;Q', len(header)) + header + data.</summary>
static class SafeTensorsBytes
{
    public static byte[] Build(string headerJson, byte[] data) => Build(headerJson, data, (ulong)Encoding.UTF8.GetByteCount(headerJson));

    /// <summary>With an explicit (possibly lying) header length, for malformed-file tests.</summary>
    public static byte[] Build(string headerJson, byte[] data, ulong declaredHeaderLength)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredHeaderLength);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Header length and header text of a file.</summary>
    public static (ulong Length, string Header) ReadHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return (length, Encoding.UTF8.GetString(bytes, 8, (int)length));
    }
}
