using ReSpike.IO.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.IO;

public class SafeTensorsMalformedTests
{
    static string Entry(string name, string dtype, string shape, string offsets) =>
        $"\"{name}\": {{\"dtype\": \"{dtype}\", \"shape\": {shape}, \"data_offsets\": {offsets}}}";

    /// <summary>Writes the bytes to a file with a recognisable name and returns the error that opening (and reading) gives.</summary>
    static InvalidDataException Fails(TempDirectory dir, byte[] bytes)
    {
        var path = dir.File("broken-file.safetensors");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var tensor in SafeTensorsFile.Load(path).Values) tensor.Dispose();
        });
        Assert.Contains("broken-file.safetensors", error.Message);
        return error;
    }

    [Fact]
    public void File_shorter_than_the_length_prefix()
    {
        using var dir = new TempDirectory();
        Assert.Contains("fewer than the 8-byte header length", Fails(dir, [1, 2, 3]).Message);
    }

    [Fact]
    public void Header_length_larger_than_the_file()
    {
        using var dir = new TempDirectory();
        var error = Fails(dir, SafeTensorsBytes.Build("{}", [], declaredHeaderLength: 1000));
        Assert.Contains("header length 1000 is larger than the rest of the file (2 bytes)", error.Message);
    }

    /// <summary>Header text, data-section size, the tensor the message must name (null: file-level), and what it must say.</summary>
    public static TheoryData<string, int, string?, string> BadHeaders => new()
    {
        { "{\"w\": {\"dtype\": ", 0, null, "not valid JSON" },
        { "[1, 2]", 0, null, "not an object" },
        { "{" + Entry("layer.weight", "F8_E4M3", "[2]", "[0, 2]") + "}", 2, "layer.weight", "unknown dtype 'F8_E4M3'" },
        { "{" + Entry("neg", "F32", "[-1, 2]", "[0, 8]") + "}", 8, "neg", "negative dimension in shape [-1, 2]" },
        { "{" + Entry("far", "F32", "[4]", "[100, 116]") + "}", 16, "far", "run past the end of the data section (16 bytes)" },
        { "{" + Entry("short", "F32", "[3]", "[0, 8]") + "}", 12, "short", "hold 8 bytes but F32 [3] needs 12" },
        { "{" + Entry("back", "U8", "[0]", "[4, 0]") + "}", 4, "back", "is not a range" },
        { "{" + Entry("first", "F32", "[2]", "[0, 8]") + ", " + Entry("second", "F32", "[2]", "[4, 12]") + "}", 12, "second", "overlap tensor 'first'" },
        { "{" + Entry("twice", "U8", "[1]", "[0, 1]") + ", " + Entry("twice", "U8", "[1]", "[1, 2]") + "}", 2, null, "'twice' twice" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4, "w", "the header entry has no 'data_offsets'" },
        { "{" + Entry("w", "F32", "[1.5]", "[0, 4]") + "}", 4, "w", "'shape' holds 1.5, not an integer" },
        { "{\"__metadata__\": {\"epoch\": 3}}", 0, null, "'epoch' is a JSON Number, not a string" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Bad_header_is_rejected_naming_the_file_and_the_tensor(string json, int dataBytes, string? tensor, string expected)
    {
        using var dir = new TempDirectory();
        var error = Fails(dir, SafeTensorsBytes.Build(json, new byte[dataBytes]));
        if (tensor is not null) Assert.Contains($"tensor '{tensor}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Truncated_file_names_the_tensor_whose_bytes_are_cut()
    {
        using var dir = new TempDirectory();
        using var a = torch.ones(4);
        using var z = torch.ones(4);
        var whole = dir.File("whole.safetensors");
        SafeTensorsWriter.Write(whole, new Dictionary<string, Tensor> { ["a"] = a, ["z.last"] = z });
        var bytes = File.ReadAllBytes(whole);
        var error = Fails(dir, bytes[..^3]);
        Assert.Contains("tensor 'z.last'", error.Message);
    }
}
