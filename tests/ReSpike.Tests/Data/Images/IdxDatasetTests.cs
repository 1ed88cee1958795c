using System.IO.Compression;
using ReSpike.Data;
using ReSpike.Data.Images;

namespace ReSpike.Tests.Data.Images;

/// <summary>The IDX reader (plain and gzip) on files written here, and Fashion-MNIST from Debian's dataset-fashion-mnist when installed.</summary>
public class IdxDatasetTests
{
    static byte[] Idx(byte type, int[] shape, byte[] data)
    {
        var header = new List<byte> { 0, 0, type, (byte)shape.Length };
        foreach (var d in shape) header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return [.. header, .. data];
    }

    static string WriteMnistFolder(string name, bool gzip)
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("idx").FullName, name);
        Directory.CreateDirectory(dir);
        void Write(string file, byte[] bytes)
        {
            var path = Path.Combine(dir, file + (gzip ? ".gz" : ""));
            if (!gzip) { File.WriteAllBytes(path, bytes); return; }
            using var stream = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            stream.Write(bytes);
        }
        // three 2x3 images 0..5, 10..15, 20..25 with labels 2, 0, 1
        var pixels = Enumerable.Range(0, 3).SelectMany(i => Enumerable.Range(0, 6).Select(p => (byte)(10 * i + p))).ToArray();
        foreach (var prefix in new[] { "train", "t10k" })
        {
            Write($"{prefix}-images-idx3-ubyte", Idx(0x08, [3, 2, 3], pixels));
            Write($"{prefix}-labels-idx1-ubyte", Idx(0x08, [3], [2, 0, 1]));
        }
        return dir;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_are_one_frame_grey_clips_with_their_labels(bool gzip)
    {
        var root = WriteMnistFolder("mnist", gzip);
        var (dataset, reader) = IdxDataset.Load(root, DatasetSubset.Test);
        Assert.Equal(3, dataset.Count);
        Assert.Equal([2, 0, 1], dataset.Videos.Select(v => v.Label));
        Assert.Equal("0", dataset.ClassNames[0]);
        Assert.Equal(10, dataset.ClassNames.Count);
        Assert.Equal(1, reader.FrameCount(dataset.Videos[1]));
        var frames = reader.Read(dataset.Videos[1], [0, 0]); // T = 2: the image repeated
        Assert.Equal((2, 2, 3), (frames.Count, frames.Height, frames.Width));
        Assert.Equal(new byte[] { 13, 13, 13 }, frames.Frame(1)[9..12].ToArray()); // pixel 3 of image 1, grey in R, G, B
    }

    [Fact]
    public void A_folder_named_fashion_gets_the_fashion_mnist_class_names()
    {
        var (dataset, _) = IdxDataset.Load(WriteMnistFolder("fashion-mnist", gzip: true), DatasetSubset.Train);
        Assert.Equal("t-shirt_top", dataset.ClassNames[0]);
        Assert.Equal("ankle_boot", dataset.ClassNames[9]);
    }

    [Fact]
    public void Bad_files_are_errors_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("idx").FullName;
        var path = Path.Combine(dir, "x-idx3-ubyte");
        File.WriteAllBytes(path, Idx(0x0D, [1], [0, 0, 0, 0]));
        var wrongType = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("0x0D", wrongType.Message);
        Assert.Contains(path, wrongType.Message);
        File.WriteAllBytes(path, Idx(0x08, [5], [1, 2]));
        Assert.Contains("2 data bytes, the header promises 5", Assert.Throws<InvalidDataException>(() => IdxFile.Read(path)).Message);
        var missing = Assert.Throws<FileNotFoundException>(() => IdxDataset.Load(dir, DatasetSubset.Train));
        Assert.Contains("train-images-idx3-ubyte", missing.Message);
        Assert.Contains("--root", missing.Message);
    }

    [Fact]
    public void Debian_fashion_mnist_has_60000_training_and_10000_test_images()
    {
        if (!Directory.Exists(IdxDataset.DebianFashionMnist)) return; // .ci/run installs dataset-fashion-mnist
        var (train, _) = IdxDataset.Load(IdxDataset.DebianFashionMnist, DatasetSubset.Train);
        var (test, reader) = IdxDataset.Load(IdxDataset.DebianFashionMnist, DatasetSubset.Test);
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.All(test.CountPerClass(), n => Assert.Equal(1000, n));
        var frame = reader.Read(test.Videos[0], [0]);
        Assert.Equal((28, 28), (frame.Height, frame.Width));
        Assert.Equal(9, test.Videos[0].Label); // the first test image is an ankle boot
    }

    [Fact]
    public void The_dataset_kind_is_registered_as_idx_with_aliases()
    {
        Assert.Equal(DatasetKind.Idx, DatasetKinds.Parse("idx"));
        Assert.Equal(DatasetKind.Idx, DatasetKinds.Parse("fashion-mnist"));
    }
}
