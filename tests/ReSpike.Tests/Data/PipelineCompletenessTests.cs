using ReSpike.Data.Transforms;
using ReSpike.Tests.Training;

namespace ReSpike.Tests.Data;

/// <summary>A pipeline given in a config must end in what the network was built for: normalised S×S views.</summary>
public class PipelineCompletenessTests
{
    [Fact]
    public void A_pipeline_without_normalize_is_refused_naming_the_field()
    {
        var options = TinyRuns.Options();
        int s = options.Model.ImageSize;
        var error = Assert.Throws<ArgumentException>(() => (options with { TrainPipeline = new ClipPipeline([new RandomResizedCrop(s)]) }).Validate());
        Assert.StartsWith("train_pipeline: ", error.Message);
        Assert.Contains("exactly one normalize step", error.Message);
        error = Assert.Throws<ArgumentException>(() =>
            (options with { TestPipeline = new ClipPipeline([new CentreCrop(s), new Normalize(), new Normalize()]) }).Validate());
        Assert.StartsWith("test_pipeline: ", error.Message);
    }

    [Fact]
    public void A_resize_after_the_last_crop_is_refused()
    {
        var options = TinyRuns.Options();
        int s = options.Model.ImageSize;
        var error = Assert.Throws<ArgumentException>(() =>
            (options with { TestPipeline = new ClipPipeline([new CentreCrop(s), new Resize(s * 2), new Normalize()]) }).Validate());
        Assert.Equal($"test_pipeline: CentreCrop({s}) → ResizeShort({s * 2}) → Normalize(ImageNet) resizes after its last crop (ResizeShort({s * 2})); put resize-short before the crop",
            error.Message);
        // the same steps in the right order are accepted
        var ok = (options with { TestPipeline = new ClipPipeline([new Resize(s * 2), new CentreCrop(s), new Normalize()]) }).Validate();
        Assert.Equal(s * 2, ok.TestPipeline!.ShortSideNeeded);
    }
}
