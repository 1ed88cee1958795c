using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.IO.SafeTensors;

/// <summary>
/// Writes safetensors files the way Python's safetensors does: header padded with spaces to a multiple of 8 bytes,
/// tensors in ordinal name order (deterministic output), contiguous little-endian CPU bytes.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes atomically: a temp file beside <paramref name="path"/>, renamed over it only when complete.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata));

    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; this host is not");
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = Header(names, tensors, metadata);

        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var name in names)
        {
            using var data = ContiguousCpu(tensors[name]);
            if (data.numel() > 0) stream.Write(data.bytes);
        }
    }

    /// <summary>The JSON header, metadata first, then entries in data order, padded with spaces to 8 bytes.</summary>
    static byte[] Header(List<string> names, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // keep non-ASCII names as UTF-8, as serde_json does, instead of \u escapes
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var tensor = tensors[name];
                var dtype = DTypeOf(name, tensor);
                var length = checked(tensor.numel() * dtype.ElementSize());
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype.ToString());
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }
            json.WriteEndObject();
        }
        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    static SafeTensorsDType DTypeOf(string name, Tensor tensor)
    {
        if (name.Length == 0 || name == "__metadata__") throw new ArgumentException($"'{name}' cannot be a tensor name in a safetensors file");
        return SafeTensorsDTypes.FromScalarType(tensor.dtype)
            ?? throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors files cannot hold " +
                                           $"(supported: {string.Join(", ", Enum.GetNames<SafeTensorsDType>())})");
    }

    /// <summary>A handle we own on contiguous CPU data: a copy only when the tensor is elsewhere or strided.</summary>
    static Tensor ContiguousCpu(Tensor tensor)
    {
        var result = tensor.detach();
        if (result.device_type != DeviceType.CPU) Replace(ref result, result.cpu());
        if (!result.is_contiguous()) Replace(ref result, result.contiguous());
        return result;
    }

    static void Replace(ref Tensor current, Tensor next)
    {
        current.Dispose();
        current = next;
    }
}
