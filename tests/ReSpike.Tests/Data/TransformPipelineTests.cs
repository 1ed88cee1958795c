using System.Text.Json;
using ReSpike.Data;
using ReSpike.Data.Transforms;
using ReSpike.Tests.IO;
using ReSpike.Tests.Training;
using ReSpike.Training;
using ReSpike.Video;
using static TorchSharp.torch;

namespace ReSpike.Tests.Data;

/// <summary>The pipeline as named steps: JSON that round-trips, the one-line description, and the same numbers as the options-built pipeline.</summary>
public class TransformPipelineTests
{
    /// <summary>A clip of 0..255 floats with random, different frames (a mirror or a crop shift changes it).</summary>
    static Tensor RandomClip(int frames, int height, int width, int seed)
    {
        var bytes = new byte[frames * height * width * 3];
        new Random(seed).NextBytes(bytes);
        return ClipTensor.FromFrames(new FrameStack(frames, height, width, bytes));
    }

    /// <summary>Every step type, each with parameters away from its defaults so a dropped parameter shows.</summary>
    static IClipStep[] OneOfEach() =>
    [
        new RandomResizedCrop(112, minScale: 0.3, maxScale: 0.9, minRatio: 0.5, maxRatio: 4.0 / 3),
        new MultiScaleCrop(224, [1, 0.8, 0.6], maxDistort: 2),
        new HorizontalFlip(0.25),
        new Resize(128),
        new CentreCrop(112),
        new ThreeCrop(112),
        new Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.3]),
    ];

    [Fact]
    public void Every_step_type_round_trips_through_json()
    {
        var steps = OneOfEach();
        Assert.Equal(ClipSteps.Types.Order(), steps.Select(s => s.Type).Order());
        foreach (var step in steps)
        {
            // a pipeline needs a crop: pair each step with one so it stands alone
            var pipeline = new ClipPipeline(step.OutputSize is null ? [step, new CentreCrop(8)] : [step]);
            var json = pipeline.ToJson();
            var back = ClipPipeline.FromJson(json);
            Assert.Equal(json, back.ToJson());
            Assert.Equal(step.Describe(), back.Steps[0].Describe());
            Assert.Equal(step.GetType(), back.Steps[0].GetType());
        }
        Assert.Equal("""[{"type":"random-resized-crop","size":112,"scale":[0.3,0.9],"ratio":[0.5,1.3333333333333333]}]""", new ClipPipeline([steps[0]]).ToJson());
        Assert.Equal("""[{"type":"flip","p":0.25},{"type":"centre-crop","size":8}]""", new ClipPipeline([steps[2], new CentreCrop(8)]).ToJson());
    }

    [Fact]
    public void The_reference_pipelines_are_named_steps_with_their_parameters()
    {
        Assert.Equal(
            """[{"type":"random-resized-crop","size":112,"scale":[0.08,1],"ratio":[0.75,1.3333333333333333]},{"type":"flip","p":0.5},{"type":"normalize","mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]}]""",
            ClipPipeline.Train(112).ToJson());
        Assert.Equal(["multiscale-crop", "normalize"], ClipPipeline.Train(224, flip: false, crop: TrainCrop.Multiscale).Steps.Select(s => s.Type));
        Assert.Equal("""[{"type":"resize-short","size":256},{"type":"three-crop","size":224},{"type":"normalize","mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]}]""",
            ClipPipeline.Test(224, 3, TestCrop.ScaledCentre).ToJson());
        // a parameter left out takes the reference's value
        var sparse = ClipPipeline.FromJson("""[{"type": "random-resized-crop", "size": 112}, {"type": "flip"}, {"type": "normalize"}]""");
        Assert.True(sparse.SameAs(ClipPipeline.Train(112)));
    }

    [Fact]
    public void The_description_is_one_line_per_pipeline()
    {
        Assert.Equal("RandomResizedCrop(112, scale=(0.08, 1), ratio=(0.75, 1.333)) → Flip(p=0.5) → Normalize(ImageNet)", ClipPipeline.Train(112).Describe());
        Assert.Equal("MultiScaleCrop(224, scales=(1, 0.875, 0.75, 0.66), max_distort=1) → Normalize(ImageNet)",
            ClipPipeline.Train(224, flip: false, crop: TrainCrop.Multiscale).ToString());
        Assert.Equal("ResizeShort(256) → CentreCrop(224) → Normalize(ImageNet)", ClipPipeline.Test(224, 1, TestCrop.ScaledCentre).Describe());
        Assert.Equal("ResizeShort(112) → ThreeCrop(112) → Normalize(ImageNet)", ClipPipeline.Test(112, 3).Describe());
        Assert.Equal("Normalize(mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.3))", OneOfEach()[^1].Describe());
    }

    [Theory]
    [InlineData("random-resized")]
    [InlineData("multiscale")]
    [InlineData("test-scaled-3")]
    public void A_pipeline_read_from_json_gives_the_same_views_as_the_one_built_from_options(string which)
    {
        var built = which switch
        {
            "random-resized" => ClipPipeline.Train(32, minCropScale: 0.5),
            "multiscale" => ClipPipeline.Train(32, crop: TrainCrop.Multiscale),
            _ => ClipPipeline.Test(32, 3, TestCrop.ScaledCentre),
        };
        var read = ClipPipeline.FromJson(built.ToJson(indented: true));
        Assert.Equal((built.Views, built.ImageSize, built.IsTraining), (read.Views, read.ImageSize, read.IsTraining));
        using var clip = RandomClip(4, 40, 56, seed: 3);
        for (int seed = 0; seed < 12; seed++)
        {
            var expected = built.Apply(clip, new Random(seed));
            var actual = read.Apply(clip, new Random(seed));
            Assert.Equal(expected.Length, actual.Length);
            for (int v = 0; v < expected.Length; v++) TensorAssert.Equal(expected[v], actual[v], $"{which}, seed {seed}, view {v}");
            foreach (var t in expected.Concat(actual)) t.Dispose();
        }
    }

    [Fact]
    public void A_config_with_flip_p_0_mirrors_no_clip()
    {
        using var dir = new TempDirectory();
        var options = TinyRuns.Options() with { MinCropScale = 0.08 };
        File.WriteAllText(dir.File("config.json"), """
            {"train_pipeline": [{"type": "random-resized-crop", "size": 32}, {"type": "flip", "p": 0}, {"type": "normalize"}]}
            """);
        var configured = (TrainingOptions.FromJsonFile(dir.File("config.json")) with { Model = options.Model, Data = options.Data }).Validate();
        Assert.Equal("Flip(p=0)", configured.TrainPipeline!.Steps[1].Describe());
        var flipping = ClipPipeline.Train(32);
        var plain = ClipPipeline.Train(32, flip: false);   // the same crop draws: the flip draws after the crop
        using var clip = RandomClip(2, 40, 48, seed: 5);
        int mirrored = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            using var p0 = configured.TrainPipeline.Apply(clip, new Random(seed))[0];
            using var none = plain.Apply(clip, new Random(seed))[0];
            using var half = flipping.Apply(clip, new Random(seed))[0];
            TensorAssert.Equal(none, p0, $"seed {seed}: flip p=0 mirrored or cropped differently");
            if (!TensorAssert.AreIdentical(none, half)) mirrored++;
        }
        Assert.InRange(mirrored, 5, 35); // with p = 0.5 the same seeds mirror about half the clips
    }

    [Fact]
    public void An_unknown_step_type_or_parameter_is_an_error_naming_the_file_field_and_known_names()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        File.WriteAllText(path, """{"epochs": 1, "train_pipeline": [{"type": "random-resized-crop", "size": 32}, {"type": "flop"}]}""");
        var e = Assert.Throws<InvalidDataException>(() => TrainingOptions.FromJsonFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("train_pipeline", e.Message);
        Assert.Contains("step 2: unknown step type 'flop'", e.Message);
        foreach (var type in ClipSteps.Types) Assert.Contains(type, e.Message);

        File.WriteAllText(path, """{"test_pipeline": [{"type": "centre-crop", "size": 32, "sise": 3}]}""");
        e = Assert.Throws<InvalidDataException>(() => TrainingOptions.FromJsonFile(path));
        Assert.Contains("test_pipeline: step 1: step 'centre-crop': unknown parameter 'sise' (it takes: size)", e.Message);

        Assert.Contains("step 1: step 'flip': p must be in [0, 1], got 2", Assert.Throws<JsonException>(() => ClipPipeline.FromJson("""[{"type": "flip", "p": 2}]""")).Message);
        Assert.Contains("step 1: step 'resize-short': needs 'size'", Assert.Throws<JsonException>(() => ClipPipeline.FromJson("""[{"type": "resize-short"}]""")).Message);
        Assert.Contains("needs a crop step", Assert.Throws<JsonException>(() => ClipPipeline.FromJson("""[{"type": "flip"}]""")).Message);
    }

    [Fact]
    public void Flat_fields_build_the_default_pipelines_and_a_disagreeing_explicit_pipeline_is_an_error_naming_them()
    {
        var tiny = TinyRuns.Options();
        var valid = tiny.Validate();
        Assert.True(valid.TrainPipeline!.SameAs(ClipPipeline.Train(32, minCropScale: 0.5)));
        Assert.True(valid.TestPipeline!.SameAs(ClipPipeline.Test(32)));
        Assert.True(valid.Validate().TrainPipeline!.SameAs(valid.TrainPipeline)); // validating again changes nothing

        var noFlip = ClipPipeline.Train(32, flip: false);
        // fields at their defaults: the explicit pipeline is used
        Assert.True((tiny with { MinCropScale = 0.08, TrainPipeline = noFlip }).Validate().TrainPipeline!.SameAs(noFlip));
        // a field set away from its default that builds something else: an error naming the field and the flag
        var e = Assert.Throws<ArgumentException>(() => (tiny with { TrainPipeline = noFlip }).Validate());
        Assert.Contains("train_pipeline and min_crop_scale (--min-crop-scale) 0.5 both set the transform and disagree", e.Message);
        e = Assert.Throws<ArgumentException>(() => (tiny with { MinCropScale = 0.08, HorizontalFlip = false, TrainPipeline = ClipPipeline.Train(32) }).Validate());
        Assert.Contains("horizontal_flip (--no-flip) false", e.Message);
        e = Assert.Throws<ArgumentException>(() => (tiny with { TestCrop = TestCrop.ScaledCentre, TestPipeline = ClipPipeline.Test(32) }).Validate());
        Assert.Contains("test_pipeline and test_crop (--test-crop) scaled-centre", e.Message);
        // fields that describe the same pipeline agree (a run's config.json holds both)
        Assert.True((tiny with { TestCrop = TestCrop.ScaledCentre, TestPipeline = ClipPipeline.Test(32, 1, TestCrop.ScaledCentre) }).Validate().TestPipeline!.SameAs(ClipPipeline.Test(32, 1, TestCrop.ScaledCentre)));
        // config.json writes the flat fields only beside the pipeline they build, and reads back without a conflict
        Assert.Contains("\"min_crop_scale\": 0.5", valid.ToJson());
        var edited = (tiny with { MinCropScale = 0.08, TrainPipeline = noFlip }).Validate();
        Assert.DoesNotContain("horizontal_flip", edited.ToJson());
        Assert.DoesNotContain("min_crop_scale", edited.ToJson());
        Assert.Contains("test_crop", edited.ToJson());
        using (var dir = new TempDirectory())
        {
            File.WriteAllText(dir.File("config.json"), edited.ToJson());
            Assert.True(TrainingOptions.FromJsonFile(dir.File("config.json")).Validate().TrainPipeline!.SameAs(noFlip));
        }
        // a crop size other than --image
        e = Assert.Throws<ArgumentException>(() => (tiny with { MinCropScale = 0.08, TrainPipeline = ClipPipeline.Train(64) }).Validate());
        Assert.Contains("train_pipeline: ", e.Message);
        Assert.Contains("makes 64x64 views but the model's image_size (--image) is 32", e.Message);
    }

    [Fact]
    public void A_test_pipeline_with_a_larger_resize_sets_the_decode_size_and_three_crops_replace_its_centre_crop()
    {
        var folder = new DatasetSpec { Kind = DatasetKind.Folder, Root = "/data", CacheDirectory = null };
        var test = ClipPipeline.FromJson("""[{"type": "resize-short", "size": 40}, {"type": "centre-crop", "size": 32}, {"type": "normalize"}]""");
        var options = TinyRuns.Options() with { Data = folder, TestPipeline = test };
        Assert.Equal(40, options.Validate().Data.Decode.ShortSide);
        Assert.Contains("needs (40, the resize-short of test_pipeline)",
            Assert.Throws<ArgumentException>(() => (options with { Data = folder with { Decode = new() { ShortSide = 36 } } }).Validate()).Message);

        var protocol = new EvaluationProtocol { TestPipeline = test };
        Assert.Equal("ResizeShort(40) → ThreeCrop(32) → Normalize(ImageNet)", protocol.Pipeline(32, crops: 3).Describe());
        Assert.Equal(3, protocol.Pipeline(32, crops: 3).Views);
        Assert.Same(test, protocol.Pipeline(32));
        Assert.Equal("ResizeShort(37) → CentreCrop(32) → Normalize(ImageNet)", protocol.WithTestCrop(TestCrop.ScaledCentre).Pipeline(32).Describe());
        Assert.Contains("makes 32x32 views but the model takes 64x64", Assert.Throws<ArgumentException>(() => protocol.Pipeline(64)).Message);
        var noCentre = new EvaluationProtocol { TestPipeline = ClipPipeline.Train(32) };
        Assert.Contains("--crops 3 replaces the test pipeline's centre-crop", Assert.Throws<ArgumentException>(() => noCentre.Pipeline(32, crops: 3)).Message);
    }

    sealed class Messages : ITrainingObserver
    {
        public List<string> Lines { get; } = [];
        public void Message(string text) => Lines.Add(text);
    }

    [Fact]
    public void A_run_prints_its_pipelines_and_saves_them_in_config_json()
    {
        using var dir = new TempDirectory();
        var messages = new Messages();
        new Trainer(TinyRuns.Options(epochs: 1, videosPerClass: 1), dir.File("run"), messages).Run();
        Assert.Contains("train pipeline: RandomResizedCrop(32, scale=(0.5, 1), ratio=(0.75, 1.333)) → Flip(p=0.5) → Normalize(ImageNet)", messages.Lines);
        Assert.Contains("test pipeline: ResizeShort(32) → CentreCrop(32) → Normalize(ImageNet)", messages.Lines);

        using var config = JsonDocument.Parse(File.ReadAllText(dir.File("run/config.json")));
        var train = config.RootElement.GetProperty("train_pipeline").EnumerateArray().ToList();
        Assert.Equal(["random-resized-crop", "flip", "normalize"], train.Select(s => s.GetProperty("type").GetString()));
        Assert.Equal(32, train[0].GetProperty("size").GetInt32());
        Assert.Equal([0.5, 1.0], train[0].GetProperty("scale").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(0.5, train[1].GetProperty("p").GetDouble());
        var test = config.RootElement.GetProperty("test_pipeline").EnumerateArray().ToList();
        Assert.Equal(["resize-short", "centre-crop", "normalize"], test.Select(s => s.GetProperty("type").GetString()));
        Assert.Equal((32, 32), (test[0].GetProperty("size").GetInt32(), test[1].GetProperty("size").GetInt32()));

        // the saved config reads back and validates (fields and pipelines agree); eval of its checkpoint uses its test pipeline
        var saved = TrainingOptions.FromJsonFile(dir.File("run/config.json")).Validate();
        Assert.True(saved.TrainPipeline!.SameAs(ClipPipeline.Train(32, minCropScale: 0.5)));
        var protocol = EvaluationProtocol.ForCheckpoint(dir.File("run/best.safetensors"));
        Assert.True(protocol.Pipeline(32).SameAs(ClipPipeline.Test(32)));
        Assert.Equal("clips, centre", protocol.Describe());
        Assert.Equal("clips, test_pipeline ResizeShort(40) → CentreCrop(32) → Normalize(ImageNet)",
            (protocol with { TestPipeline = new ClipPipeline([new Resize(40), new CentreCrop(32), new Normalize()]) }).Describe());
    }
}
