using System.Text.Json;
using ReSpike.IO.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.IO;

public class SafeTensorsRoundTripTests
{
    /// <summary>One tensor per dtype, with extreme and (for F16/BF16) exactly representable values.</summary>
    static OwnedTensors EveryDType() => new()
    {
        ["f64"] = torch.tensor(new[] { 1.5, -2.25, double.MaxValue, 1e-300 }).reshape(2, 2),
        ["f32"] = torch.tensor(new[] { 0.1f, -3.0f, float.MaxValue, float.Epsilon, 7f, 8f }).reshape(2, 3),
        ["f16"] = torch.tensor(new[] { 1.5f, -0.25f, 65504f, 0.0009765625f }).to(ScalarType.Float16),
        ["bf16"] = torch.tensor(new[] { 1.5f, -0.25f, 256f, (float)Math.Pow(2, 100) }).to(ScalarType.BFloat16),
        ["i64"] = torch.tensor(new[] { long.MinValue, long.MaxValue, 0L, -1L }),
        ["i32"] = torch.tensor(new[] { int.MinValue, int.MaxValue, 0, -1 }),
        ["i16"] = torch.tensor(new short[] { short.MinValue, short.MaxValue, 0, -1 }),
        ["i8"] = torch.tensor(new sbyte[] { sbyte.MinValue, sbyte.MaxValue, 0, -1 }),
        ["u8"] = torch.tensor(new byte[] { 0, 1, 128, 255 }),
        ["bool"] = torch.tensor(new[] { true, false, false, true }).reshape(1, 2, 2),
        ["scalar"] = torch.tensor(3.5f),
        ["empty"] = torch.empty(0, 3, dtype: ScalarType.Int32),
    };

    [Fact]
    public void Every_dtype_and_shape_round_trips_exactly()
    {
        using var dir = new TempDirectory();
        using var written = EveryDType();
        var path = dir.File("all.safetensors");
        SafeTensorsWriter.Write(path, written);
        using var read = new OwnedTensors(SafeTensorsFile.Load(path));
        Assert.Equal(written.Keys.Order(), read.Keys.Order());
        foreach (var (name, expected) in written)
        {
            Assert.Equal(expected.dtype, read[name].dtype);
            Assert.Equal(expected.shape, read[name].shape);
            TensorAssert.Equal(expected, read[name], name);
        }
        Assert.Equal(0, read["scalar"].dim());
        Assert.Equal(0, read["empty"].numel());
    }

    [Fact]
    public void Non_contiguous_tensors_are_written_in_logical_order()
    {
        using var dir = new TempDirectory();
        using var matrix = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var transposed = matrix.t();
        Assert.False(transposed.is_contiguous());
        var path = dir.File("t.safetensors");
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["t"] = transposed });
        using var read = SafeTensorsFile.Open(path).Read("t");
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, read.data<float>().ToArray());
    }

    [Fact]
    public void Metadata_round_trips()
    {
        using var dir = new TempDirectory();
        using var w = torch.ones(2);
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"", ["empty"] = "" };
        var path = dir.File("m.safetensors");
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["w"] = w }, metadata);
        var file = SafeTensorsFile.Open(path);
        Assert.Equal(metadata.OrderBy(kv => kv.Key), file.Metadata.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Header_is_padded_to_8_bytes_with_sorted_keys_and_data_in_that_order()
    {
        using var dir = new TempDirectory();
        using var a = torch.ones(3);                          // 12 bytes
        using var b = torch.ones(1, dtype: ScalarType.Int64); // 8 bytes
        using var c = torch.ones(2, dtype: ScalarType.Float16);
        using var upper = torch.ones(1, dtype: ScalarType.Int8);
        var path = dir.File("sorted.safetensors");
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["b"] = b, ["c.weight"] = c, ["a"] = a, ["B"] = upper },
                                new Dictionary<string, string> { ["k"] = "v" });

        var (length, header) = SafeTensorsBytes.ReadHeader(path);
        Assert.Equal(0UL, length % 8);
        Assert.EndsWith("}", header.TrimEnd(' '));                               // padding is spaces only
        Assert.True(header.Length - header.TrimEnd(' ').Length < 8, "padding is fewer than 8 spaces");

        using var json = JsonDocument.Parse(header);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(new[] { "__metadata__", "B", "a", "b", "c.weight" }, keys);   // ordinal: upper case first
        var offsets = keys.Skip(1).Select(k => json.RootElement.GetProperty(k).GetProperty("data_offsets").EnumerateArray()
                                                   .Select(e => e.GetInt64()).ToArray()).ToArray();
        Assert.Equal(new long[][] { [0, 1], [1, 13], [13, 21], [21, 25] }, offsets);
        Assert.Equal(8 + (long)length + 25, new FileInfo(path).Length);
    }

    [Fact]
    public void Reads_the_byte_layout_of_the_python_reference_writer()
    {
        // Python: struct.pack('<Q', len(h)) + h + data with h = json.dumps(...): spaces after separators, no padding,
        // metadata last, keys in insertion order rather than sorted
        const string header =
            "{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, " +
            "\"h\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [8, 12]}, " +
            "\"b\": {\"dtype\": \"BF16\", \"shape\": [1, 2], \"data_offsets\": [12, 16]}, " +
            "\"n\": {\"dtype\": \"I64\", \"shape\": [], \"data_offsets\": [16, 24]}, " +
            "\"__metadata__\": {\"format\": \"pt\"}}";
        byte[] data =
        [
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,         // F32 1.0, -2.5
            0x00, 0x3C, 0x00, 0xC0,                                 // F16 1.0, -2.0
            0x80, 0x3F, 0x00, 0xC0,                                 // BF16 1.0, -2.0
            0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,         // I64 -3
        ];
        using var dir = new TempDirectory();
        var path = dir.File("reference.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build(header, data));

        var file = SafeTensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(new[] { "w", "h", "b", "n" }, file.Entries.Select(e => e.Name));
        using var w = file.Read("w");
        using var h = file.Read("h");
        using var b = file.Read("b");
        using var n = file.Read("n");
        Assert.Equal(new[] { 1f, -2.5f }, w.data<float>().ToArray());
        Assert.Equal(ScalarType.Float16, h.dtype);
        using var h32 = h.to(ScalarType.Float32);
        Assert.Equal(new[] { 1f, -2f }, h32.data<float>().ToArray());
        Assert.Equal(ScalarType.BFloat16, b.dtype);
        Assert.Equal(new long[] { 1, 2 }, b.shape);
        using var b32 = b.to(ScalarType.Float32);
        Assert.Equal(new[] { 1f, -2f }, b32.data<float>().ToArray());
        Assert.Equal(0, n.dim());
        Assert.Equal(-3L, n.item<long>());
    }

    [Fact]
    public void Floats_convert_to_float32_on_request_and_integers_stay()
    {
        using var dir = new TempDirectory();
        using var half = torch.tensor(new[] { 0.5f, -1.25f }).to(ScalarType.BFloat16);
        using var count = torch.tensor(7L);
        var path = dir.File("half.safetensors");
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["half"] = half, ["count"] = count });
        using var read = new OwnedTensors(SafeTensorsFile.Load(path, floatsToFloat32: true));
        Assert.Equal(ScalarType.Float32, read["half"].dtype);
        Assert.Equal(new[] { 0.5f, -1.25f }, read["half"].data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, read["count"].dtype);
    }

    [Fact]
    public void Failed_write_keeps_the_old_file_and_leaves_no_temp_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        using var good = torch.ones(4);
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["good"] = good });
        Assert.Equal(new[] { "model.safetensors" }, dir.FileNames());   // a successful write leaves no temp file
        var before = File.ReadAllBytes(path);

        using var complex = torch.zeros(2, dtype: ScalarType.ComplexFloat32);
        var error = Assert.Throws<ArgumentException>(() =>
            SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["good"] = good, ["z"] = complex }));
        Assert.Contains("'z'", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.safetensors" }, dir.FileNames());
    }
}
