using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.IO.SafeTensors;

/// <summary>
/// A validated safetensors header: u64 little-endian header length N, N bytes of UTF-8 JSON, then the data section.
/// <see cref="Open"/> reads and checks only the header; tensors are read on demand straight into tensor memory.
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The reference implementation refuses larger headers; a bigger length means a corrupt file.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    const string MetadataKey = "__metadata__";

    readonly Dictionary<string, SafeTensorsEntry> byName;
    readonly long dataStart;

    public string Path { get; }

    /// <summary>The free-form string map stored under "__metadata__" (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in the order of their bytes in the data section.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    SafeTensorsFile(string path, long dataStart, IReadOnlyDictionary<string, string> metadata, List<SafeTensorsEntry> entries)
    {
        Path = path;
        this.dataStart = dataStart;
        Metadata = metadata;
        Entries = entries;
        byName = entries.ToDictionary(e => e.Name);
    }

    public bool Contains(string name) => byName.ContainsKey(name);

    public SafeTensorsEntry Entry(string name) =>
        byName.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"{Path}: no tensor '{name}' in the file");

    /// <summary>Reads and validates the header; throws <see cref="InvalidDataException"/> naming the file and tensor.</summary>
    public static SafeTensorsFile Open(string path)
    {
        using var stream = OpenRead(path);
        return new HeaderParser(path, stream.Length).Parse(stream);
    }

    /// <summary>Reads every tensor of a file; the caller owns (and disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path, bool floatsToFloat32 = false) =>
        Open(path).ReadAll(floatsToFloat32);

    /// <summary>Reads one tensor. <paramref name="floatToFloat32"/> converts F16/BF16/F64 to Float32 (our models are F32).</summary>
    public Tensor Read(string name, bool floatToFloat32 = false)
    {
        using var stream = OpenRead(Path);
        return Read(stream, Entry(name), floatToFloat32);
    }

    /// <summary>Reads every tensor through one file handle; the caller owns (and disposes) the tensors.</summary>
    public Dictionary<string, Tensor> ReadAll(bool floatsToFloat32 = false)
    {
        var result = new Dictionary<string, Tensor>(Entries.Count);
        try
        {
            using var stream = OpenRead(Path);
            foreach (var entry in Entries) result.Add(entry.Name, Read(stream, entry, floatsToFloat32));
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
    }

    Tensor Read(FileStream stream, SafeTensorsEntry entry, bool floatToFloat32)
    {
        if (entry.ByteLength > int.MaxValue)
            throw new NotSupportedException($"{Path}: tensor '{entry.Name}' has {entry.ByteLength} bytes; tensors over 2 GiB are not supported");
        var tensor = torch.empty(entry.Shape, entry.DType.ToScalarType());
        try
        {
            if (entry.ByteLength > 0)
            {
                stream.Position = dataStart + entry.Begin;
                // reads straight into libtorch's buffer: no intermediate managed copy
                stream.ReadExactly(tensor.bytes);
            }
            if (!floatToFloat32 || !entry.DType.IsFloatingPoint() || entry.DType == SafeTensorsDType.F32) return tensor;
            using (tensor) return tensor.to(ScalarType.Float32);
        }
        catch (EndOfStreamException)
        {
            tensor.Dispose();
            throw new InvalidDataException($"{Path}: tensor '{entry.Name}': the file ends before its data (truncated since it was opened?)");
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    /// <summary>Turns header bytes into entries, failing with messages that name the file and the tensor.</summary>
    sealed class HeaderParser(string path, long fileLength)
    {
        public SafeTensorsFile Parse(Stream stream)
        {
            if (fileLength < 8) throw Invalid($"the file has {fileLength} bytes, fewer than the 8-byte header length (truncated or not a safetensors file)");
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - 8))
                throw Invalid($"the header length {headerLength} is larger than the rest of the file ({fileLength - 8} bytes): truncated or not a safetensors file");
            if (headerLength > MaxHeaderBytes)
                throw Invalid($"the header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");

            var header = new byte[headerLength];
            stream.ReadExactly(header);
            var dataStart = 8 + (long)headerLength;
            var dataLength = fileLength - dataStart;

            using var json = ParseJson(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid($"the header is a JSON {json.RootElement.ValueKind}, not an object");

            var metadata = new Dictionary<string, string>();
            var entries = new List<SafeTensorsEntry>();
            var seen = new HashSet<string>();
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Invalid($"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata);
                else entries.Add(ReadEntry(property.Name, property.Value, dataLength));
            }
            CheckNoOverlap(entries);
            return new SafeTensorsFile(path, dataStart, metadata, entries);
        }

        JsonDocument ParseJson(byte[] header)
        {
            try
            {
                return JsonDocument.Parse(header);
            }
            catch (JsonException e)
            {
                throw Invalid($"the header is not valid JSON: {e.Message}");
            }
        }

        void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
        {
            if (value.ValueKind != JsonValueKind.Object) throw Invalid($"'{MetadataKey}' is a JSON {value.ValueKind}, not an object of strings");
            foreach (var item in value.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.String)
                    throw Invalid($"'{MetadataKey}' entry '{item.Name}' is a JSON {item.Value.ValueKind}, not a string");
                metadata[item.Name] = item.Value.GetString()!;
            }
        }

        SafeTensorsEntry ReadEntry(string name, JsonElement value, long dataLength)
        {
            if (value.ValueKind != JsonValueKind.Object) throw Invalid(name, $"the header entry is a JSON {value.ValueKind}, not an object");

            var dtypeText = Property(name, value, "dtype", JsonValueKind.String).GetString()!;
            var dtype = SafeTensorsDTypes.TryParse(dtypeText)
                ?? throw Invalid(name, $"unknown dtype '{dtypeText}' (supported: {string.Join(", ", Enum.GetNames<SafeTensorsDType>())})");

            var shape = Integers(name, Property(name, value, "shape", JsonValueKind.Array), "shape");
            if (shape.Any(d => d < 0)) throw Invalid(name, $"negative dimension in shape {ShapeText.Format(shape)}");

            var offsets = Integers(name, Property(name, value, "data_offsets", JsonValueKind.Array), "data_offsets");
            if (offsets.Length != 2) throw Invalid(name, $"data_offsets has {offsets.Length} numbers, not [begin, end]");
            var (begin, end) = (offsets[0], offsets[1]);
            if (begin < 0 || end < begin) throw Invalid(name, $"data_offsets [{begin}, {end}] is not a range (need 0 <= begin <= end)");
            if (end > dataLength)
                throw Invalid(name, $"data_offsets [{begin}, {end}] run past the end of the data section ({dataLength} bytes): the file is truncated or the offsets are wrong");

            var expected = ExpectedBytes(name, shape, dtype);
            if (end - begin != expected)
                throw Invalid(name, $"data_offsets [{begin}, {end}] hold {end - begin} bytes but {dtype} {ShapeText.Format(shape)} needs {expected}");
            return new SafeTensorsEntry(name, dtype, shape, begin, end);
        }

        long ExpectedBytes(string name, long[] shape, SafeTensorsDType dtype)
        {
            try
            {
                return checked(shape.Aggregate(1L, (n, d) => n * d) * dtype.ElementSize());
            }
            catch (OverflowException)
            {
                throw Invalid(name, $"shape {ShapeText.Format(shape)} is too large");
            }
        }

        JsonElement Property(string name, JsonElement entry, string key, JsonValueKind kind)
        {
            if (!entry.TryGetProperty(key, out var value)) throw Invalid(name, $"the header entry has no '{key}'");
            if (value.ValueKind != kind) throw Invalid(name, $"'{key}' is a JSON {value.ValueKind}, not {kind}");
            return value;
        }

        long[] Integers(string name, JsonElement array, string key) =>
            array.EnumerateArray()
                .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var n)
                    ? n
                    : throw Invalid(name, $"'{key}' holds {item.GetRawText()}, not an integer"))
                .ToArray();

        void CheckNoOverlap(List<SafeTensorsEntry> entries)
        {
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            for (int i = 1; i < entries.Count; i++)
            {
                var (previous, current) = (entries[i - 1], entries[i]);
                if (current.Begin < previous.End)
                    throw Invalid(current.Name,
                        $"data_offsets [{current.Begin}, {current.End}] overlap tensor '{previous.Name}' at [{previous.Begin}, {previous.End}]");
            }
        }

        InvalidDataException Invalid(string message) => new($"{path}: invalid safetensors file: {message}");

        InvalidDataException Invalid(string tensor, string message) => new($"{path}: invalid safetensors file: tensor '{tensor}': {message}");
    }
}
