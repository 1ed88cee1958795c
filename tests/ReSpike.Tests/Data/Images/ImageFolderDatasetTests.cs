using System.Text.Json;
using ReSpike.Data;
using ReSpike.Data.Images;
using ReSpike.Models;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Training;
using ReSpike.Video;
using SkiaSharp;

namespace ReSpike.Tests.Data.Images;

/// <summary>Class-per-folder PNG/JPEG images (--dataset image-folder) on folders of images SkiaSharp writes here.</summary>
public class ImageFolderDatasetTests
{
    /// <summary>Writes a width x height image whose pixel (x, y) is colour(x, y), as PNG or JPEG by the file's extension.</summary>
    static string WriteImage(string path, int width, int height, Func<int, int, SKColor> colour, SKColorType type = SKColorType.Rgba8888)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, type, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, colour(x, y));
        var format = Path.GetExtension(path) == ".png" ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    static SKColor Solid(int label) => label == 0 ? new SKColor(200, 30, 30) : new SKColor(30, 30, 200);

    /// <summary>root/{train,val}/{zebra,Apple,mango}/ with 3 train and 1 val images each (PNG and JPEG), plus a notes.txt that is not an image.</summary>
    static string WriteImageNetLayout(TempDirectory dir)
    {
        var root = dir.File("images");
        foreach (var cls in new[] { "zebra", "Apple", "mango" })
        {
            for (int i = 0; i < 3; i++) WriteImage(Path.Combine(root, "train", cls, $"{cls}_{i}.{(i == 2 ? "jpg" : "png")}"), 12, 10, (x, y) => new SKColor((byte)(10 * x), (byte)(20 * y), 7));
            WriteImage(Path.Combine(root, "val", cls, $"{cls}_val.png"), 12, 10, (x, y) => new SKColor(1, 2, 3));
        }
        File.WriteAllText(Path.Combine(root, "train", "zebra", "notes.txt"), "not an image");
        return root;
    }

    [Fact]
    public void Imagenet_layout_gives_sorted_classes_labels_by_folder_and_exact_png_pixels()
    {
        using var dir = new TempDirectory();
        var root = WriteImageNetLayout(dir);
        var (train, reader) = ImageFolderDataset.Load(root, DatasetSubset.Train);
        var (val, _) = ImageFolderDataset.Load(root, DatasetSubset.Test);

        Assert.Equal(["Apple", "mango", "zebra"], train.ClassNames);   // ordinal: upper case first, as torchvision's sorted()
        Assert.Equal(train.ClassNames, val.ClassNames);
        Assert.Equal(9, train.Count);
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2], train.Videos.Select(v => v.Label));
        Assert.Equal(["Apple_val.png", "mango_val.png", "zebra_val.png"], val.Videos.Select(v => Path.GetFileName(v.Path)));
        Assert.Equal([0, 1, 2], val.Videos.Select(v => v.Label));
        Assert.DoesNotContain(train.Videos, v => v.Path.EndsWith(".txt"));
        Assert.All(train.Videos, v => Assert.Equal(1, v.FrameCount));

        var png = train.Videos.Single(v => v.Path.EndsWith("mango_1.png"));
        Assert.Equal(1, reader.FrameCount(png));
        var frames = reader.Read(png, [0, 0, 0]);   // T = 3: the image repeated
        Assert.Equal((3, 10, 12), (frames.Count, frames.Height, frames.Width));
        int at = (4 * 12 + 5) * 3;                  // pixel x 5, y 4
        Assert.Equal(new byte[] { 50, 80, 7 }, frames.Frame(2)[at..(at + 3)].ToArray());
        Assert.Equal(frames.Frame(0).ToArray(), frames.Frame(2).ToArray());

        var jpeg = reader.Read(train.Videos.Single(v => v.Path.EndsWith("mango_2.jpg")), [0]);
        Assert.Equal((10, 12), (jpeg.Height, jpeg.Width));
        Assert.InRange(jpeg.Frame(0)[at + 1], 60, 100);   // lossy, but near 80
    }

    [Fact]
    public void Grey_and_transparent_pngs_read_as_rgb_and_the_short_side_caps_the_size()
    {
        using var dir = new TempDirectory();
        var grey = WriteImage(dir.File("flat/a/grey.png"), 8, 6, (x, y) => new SKColor(90, 90, 90), SKColorType.Gray8);
        var alpha = WriteImage(dir.File("flat/a/alpha.png"), 8, 6, (x, y) => new SKColor(10, 20, 30, 40));
        var wide = WriteImage(dir.File("flat/a/wide.png"), 80, 40, (x, y) => x < 40 ? SKColors.Black : SKColors.White);
        var (_, reader) = ImageFolderDataset.Load(dir.File("flat"), DatasetSubset.Train, shortSide: 20);

        Assert.Equal(new byte[] { 90, 90, 90 }, reader.Read(new VideoEntry(grey, 0), [0]).Frame(0)[..3].ToArray());
        Assert.Equal(new byte[] { 10, 20, 30 }, reader.Read(new VideoEntry(alpha, 0), [0]).Frame(0)[..3].ToArray());
        Assert.Equal((6, 8), (reader.Read(new VideoEntry(grey, 0), [0]).Height, reader.Read(new VideoEntry(grey, 0), [0]).Width));   // never enlarged
        var shrunk = reader.Read(new VideoEntry(wide, 0), [0]);
        Assert.Equal((20, 40), (shrunk.Height, shrunk.Width));
        Assert.Equal(0, shrunk.Frame(0)[(10 * 40 + 2) * 3]);
        Assert.Equal(255, shrunk.Frame(0)[(10 * 40 + 37) * 3]);
    }

    [Fact]
    public void Without_train_and_val_every_5th_image_of_a_class_is_the_test_set()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 6; i++) WriteImage(dir.File($"flat/cat/{i}.png"), 4, 4, (_, _) => SKColors.Gray);
        for (int i = 0; i < 5; i++) WriteImage(dir.File($"flat/dog/{i}.jpg"), 4, 4, (_, _) => SKColors.Gray);
        var (train, _) = ImageFolderDataset.Load(dir.File("flat"), DatasetSubset.Train);
        var (test, _) = ImageFolderDataset.Load(dir.File("flat"), DatasetSubset.Test);
        Assert.Equal(9, train.Count);
        Assert.Equal(["cat/4.png", "dog/4.jpg"], test.Videos.Select(v => $"{Path.GetFileName(Path.GetDirectoryName(v.Path))}/{Path.GetFileName(v.Path)}"));
        Assert.Contains("every 5th image held out", test.Name);
    }

    [Fact]
    public void Empty_or_malformed_roots_are_errors_naming_the_root_and_the_layout()
    {
        using var dir = new TempDirectory();
        Assert.Contains("--root: folder not found", Assert.Throws<DirectoryNotFoundException>(() => ImageFolderDataset.Load(dir.File("nope"), DatasetSubset.Train)).Message);

        Directory.CreateDirectory(dir.File("empty"));
        var empty = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(dir.File("empty"), DatasetSubset.Train));
        Assert.Contains(dir.File("empty"), empty.Message);
        Assert.Contains("has no class folders (expected root/<class>/<image>)", empty.Message);

        Directory.CreateDirectory(dir.File("noimages/cat"));
        File.WriteAllText(dir.File("noimages/cat/readme.txt"), "text");
        var noImages = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(dir.File("noimages"), DatasetSubset.Train));
        Assert.Contains("no .png/.jpg/.jpeg images for the train subset", noImages.Message);
        Assert.Contains("root/train/<class>/*.png", noImages.Message);
    }

    [Fact]
    public void A_file_that_does_not_decode_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        var good = WriteImage(dir.File("bad/cat/good.jpg"), 16, 16, (x, y) => new SKColor((byte)(x * 16), (byte)(y * 16), 0));
        File.WriteAllText(dir.File("bad/cat/text.png"), "this is not a png");
        File.WriteAllBytes(dir.File("bad/cat/cut.jpg"), File.ReadAllBytes(good)[..60]);
        File.WriteAllBytes(dir.File("bad/cat/empty.png"), []);
        var (_, reader) = ImageFolderDataset.Load(dir.File("bad"), DatasetSubset.Train);
        foreach (var (name, reason) in new[] { ("text.png", "not a PNG or JPEG image"), ("cut.jpg", "image file is truncated"), ("empty.png", "not a PNG or JPEG image") })
        {
            var path = dir.File($"bad/cat/{name}");
            var error = Assert.Throws<VideoDecodeException>(() => reader.FrameCount(new VideoEntry(path, 0)));
            Assert.Equal(path, error.File);
            Assert.Equal(reason, error.Reason);
        }
        Assert.Equal(1, reader.FrameCount(new VideoEntry(good, 0)));
    }

    static string WriteTrainableFolder(TempDirectory dir)
    {
        // two classes told apart by colour, 6 train and 2 val images each, plus two broken training files
        var root = dir.File("colours");
        var rng = new Random(1);
        for (int label = 0; label < 2; label++)
            foreach (var (split, count) in new[] { ("train", 6), ("val", 2) })
                for (int i = 0; i < count; i++)
                {
                    var c = Solid(label);
                    WriteImage(Path.Combine(root, split, label == 0 ? "red" : "blue", $"{i}.{(i % 2 == 0 ? "png" : "jpg")}"), 36, 40,
                        (_, _) => new SKColor((byte)(c.Red + rng.Next(40)), (byte)(c.Green + rng.Next(40)), (byte)(c.Blue + rng.Next(40))));
                }
        File.WriteAllText(Path.Combine(root, "train", "red", "broken.png"), "not an image");
        File.WriteAllBytes(Path.Combine(root, "train", "blue", "cut.jpg"), File.ReadAllBytes(Path.Combine(root, "train", "blue", "1.jpg"))[..80]);
        return root;
    }

    [Fact]
    public void A_spikingresformer_trains_on_an_image_folder_skipping_and_reporting_bad_files()
    {
        using var dir = new TempDirectory();
        var options = new TrainingOptions
        {
            Model = new ReSpikeConfig { Name = "spikingresformer-fmnist", Stride = 1, Frames = 1, ImageSize = 32, NumClasses = 2 },
            Data = new DatasetSpec { Kind = DatasetKind.ImageFolder, Root = WriteTrainableFolder(dir), CacheDirectory = null },
            Epochs = 1, BatchSize = 4, Optimizer = "adamw", LearningRate = 1e-3, Seed = 3,
        };
        var result = new Trainer(options, dir.File("run")).Run();

        Assert.False(result.Interrupted);
        Assert.Equal(["broken.png", "cut.jpg"], result.Skipped.Select(s => Path.GetFileName(s.Path)).Order().ToArray());
        Assert.Contains(result.Skipped, s => s.Reason == "image file is truncated");
        Assert.Equal(12, result.Epochs[0].TrainClips);   // 14 files, 2 skipped, one clip per image
        Assert.True(double.IsFinite(result.Epochs[0].TrainLoss));
        Assert.Equal(4, result.LastEvaluation!.Videos);
        Assert.Equal(["blue", "red"], Checkpoint.ReadClassNames(dir.File("run/best.safetensors")));
    }

    [Fact]
    public void Train_cli_reads_image_folder_refuses_an_empty_root_and_prepare_refuses_it()
    {
        using var dir = new TempDirectory();
        var root = WriteTrainableFolder(dir);
        var (code, output, err) = CliHarness.Run("train", "--dataset", "image-folder", "--root", root, "--model", "ann", "--image", "32",
            "--frames", "1", "--stride", "1", "--epochs", "1", "--batch", "4", "--threads", "1", "--out", dir.File("run"), "--json", dir.File("train.json"));
        Assert.True(code == 0, err + output);
        using (var json = JsonDocument.Parse(File.ReadAllText(dir.File("train.json"))))
            Assert.Equal(2, json.RootElement.GetProperty("skipped").GetInt32());
        Assert.Contains("broken.png", output);
        Assert.Contains("cut.jpg", output);

        Directory.CreateDirectory(dir.File("empty"));
        (code, _, err) = CliHarness.Run("train", "--dataset", "image-folder", "--root", dir.File("empty"), "--model", "ann", "--image", "32",
            "--frames", "1", "--stride", "1", "--epochs", "1", "--out", dir.File("run2"));
        Assert.Equal(1, code);
        Assert.Contains($"error: --root: {dir.File("empty")} has no class folders", err);

        (code, _, err) = CliHarness.Run("prepare", "--dataset", "image-folder", "--root", root, "--image", "32");
        Assert.Equal(2, code);
        Assert.Contains("--dataset image-folder is read in process", err);
    }
}
