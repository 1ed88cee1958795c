using ReSpike.Data;
using ReSpike.Data.Transforms;
using ReSpike.Tests.IO;
using ReSpike.Tests.Training;
using ReSpike.Tests.Video;

namespace ReSpike.Tests.Data;

/// <summary>The decode short side follows --image (and the test crop's 8/7 margin); asking for less is an error naming both flags.</summary>
[Collection(VideoCollection.Name)]
public class DecodeSizeTests(VideoFixtures videos)
{
    static readonly DatasetSpec Folder = new() { Kind = DatasetKind.Folder, Root = "/data", CacheDirectory = null };

    [Theory]
    [InlineData(112, TestCrop.Centre, 112)]
    [InlineData(224, TestCrop.Centre, 224)]
    [InlineData(224, TestCrop.ScaledCentre, 256)]
    [InlineData(112, TestCrop.ScaledCentre, 128)]
    [InlineData(64, TestCrop.ScaledCentre, 74)]
    public void An_unset_decode_size_becomes_what_the_image_needs(int image, TestCrop crop, int shortSide)
    {
        Assert.Null(new DatasetSpec().Decode.ShortSide);
        Assert.Equal(shortSide, Folder.ForImage(image, crop).Decode.ShortSide);
        // a training run fills it in before reading a frame, and saves it in config.json
        var options = TinyRuns.Options() with { Model = TinyRuns.Options().Model with { ImageSize = image }, TestCrop = crop, Data = Folder };
        Assert.Equal(shortSide, options.Validate().Data.Decode.ShortSide);
        // a larger size a run was trained at is kept (its frame cache is reused); a smaller one is not
        Assert.Equal(300, Folder.ForImage(image, crop, preferred: 300).Decode.ShortSide);
        Assert.Equal(shortSide, Folder.ForImage(image, crop, preferred: 16).Decode.ShortSide);
        // an explicit size at or above the need is kept as asked
        Assert.Equal(shortSide + 5, (Folder with { Decode = new() { ShortSide = shortSide + 5 } }).ForImage(image, crop).Decode.ShortSide);
    }

    [Theory]
    [InlineData(224, 256)]
    [InlineData(112, 128)]
    public void The_multiscale_train_crop_decodes_at_eight_sevenths_of_the_image(int image, int shortSide)
    {
        // crops of min(W, H) x [1 .. 0.66] resized to S: decoded at S every crop would be an upscale
        var options = TinyRuns.Options() with
        {
            Model = TinyRuns.Options().Model with { ImageSize = image }, TrainCrop = TrainCrop.Multiscale, Data = Folder,
        };
        Assert.Equal(shortSide, options.Validate().Data.Decode.ShortSide);
        Assert.Equal(image, (options with { TrainCrop = TrainCrop.RandomResized }).Validate().Data.Decode.ShortSide);
    }

    [Fact]
    public void A_decode_size_smaller_than_the_crop_needs_is_an_error_naming_both_flags()
    {
        var small = Folder with { Decode = new() { ShortSide = 96 } };
        Assert.Equal("--short-side 96 is smaller than --image 112 needs (112); pass --short-side 112 or more, or leave --short-side out to follow --image",
            Assert.Throws<ArgumentException>(() => small.ForImage(112)).Message);
        var k400 = Folder with { Decode = new() { ShortSide = 224 } };
        Assert.Equal("--short-side 224 is smaller than --image 224 needs (256, 8/7 of it for --test-crop scaled-centre); pass --short-side 256 or more, or leave --short-side out to follow --image",
            Assert.Throws<ArgumentException>(() => k400.ForImage(224, TestCrop.ScaledCentre)).Message);
        var options = TinyRuns.Options() with { Data = Folder with { Decode = new() { ShortSide = 24 } } };
        Assert.Contains("--short-side 24 is smaller than --image 32 needs (32)", Assert.Throws<ArgumentException>(() => options.Validate()).Message);
    }

    [RequiresFfmpegFact]
    public void Frames_are_decoded_at_the_image_need()
    {
        // long.avi is 128x96: frames come out with the short side the crop needs, not a fixed size
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "a"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "b"));
        for (int i = 0; i < 5; i++)
        {
            File.Copy(videos.Path(VideoFixtures.Long), Path.Combine(dir.Path, "a", $"a{i}.avi"));
            File.Copy(videos.Path(VideoFixtures.Long), Path.Combine(dir.Path, "b", $"b{i}.avi"));
        }
        foreach (var (crop, shortSide) in new[] { (TestCrop.Centre, 64), (TestCrop.ScaledCentre, 74) })
        {
            var spec = new DatasetSpec { Kind = DatasetKind.Folder, Root = dir.Path, CacheDirectory = dir.File($"cache-{shortSide}") }.ForImage(64, crop);
            var (dataset, reader) = spec.Open(DatasetSubset.Test);
            var frames = reader.Read(dataset.Videos[0], [0, 1]);
            Assert.Equal((shortSide, (int)Math.Round(128.0 * shortSide / 96)), (frames.Height, frames.Width));
        }
    }
}
