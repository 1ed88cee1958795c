using ReSpike.Data;
using ReSpike.Data.Sampling;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Models.Backbones;
using ReSpike.Registry;
using ReSpike.Spiking.Surrogates;
using ReSpike.Training;
using ReSpike.Training.Optimizers;

namespace ReSpike.Tests.Registry;

public class RegistryTests
{
    sealed record Thing(string Name, string Description) : IRegistryEntry;

    [Fact]
    public void A_duplicate_name_or_alias_is_refused_naming_the_holder()
    {
        var registry = new Registry<Thing>("widget", "--widget");
        registry.Add(new Thing("alpha", "the first"), "a");
        var duplicate = Assert.Throws<ArgumentException>(() => registry.Add(new Thing("ALPHA", "again")));
        Assert.Equal("widget 'alpha' is already registered (as 'alpha': the first)", duplicate.Message);
        var alias = Assert.Throws<ArgumentException>(() => registry.Add(new Thing("beta", "second"), "a"));
        Assert.Contains("widget 'a' is already registered", alias.Message);
        Assert.Equal(["alpha"], registry.Names);   // the refused entry left nothing behind
        Assert.False(registry.Contains("beta"));
    }

    [Fact]
    public void An_unknown_name_names_the_flag_and_lists_the_choices_without_aliases()
    {
        var registry = new Registry<Thing>("widget", "--widget", hint: "or build one");
        registry.Add(new Thing("alpha", "the first"), "a");
        registry.Add(new Thing("beta", "the second"));
        Assert.Same(registry.Get("alpha"), registry.Get(" A "));
        Assert.Equal("--widget: unknown widget 'gamma' (use alpha, beta); or build one", Assert.Throws<ArgumentException>(() => registry.Get("gamma")).Message);
        Assert.Equal("unknown widget 'x' (use )", new Registry<Thing>("widget").Unknown("x").Message);
    }

    [Fact]
    public void Every_named_choice_of_the_toolkit_comes_from_a_registry()
    {
        Assert.Equal(["respike", "respike-noattn", "ann", "snn"], ModelRegistry.Models.Names.Take(4));
        Assert.Equal(["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"], BackboneRegistry.Backbones.Names);
        Assert.Equal(["atan", "sigmoid", "rectangle", "triangle"], Surrogate.Registry.Names);
        Assert.Equal(["synthetic", "ucf101", "hmdb51", "kinetics400", "folder", "rawframes", "idx", "image-folder"], DatasetKinds.Registry.Names);
        Assert.Equal(["clips", "segments", "segments:centre", "uniform:N"], ClipSampler.Registry.Names);
        Assert.Equal(["sgd", "adamw"], OptimizerRegistry.Optimizers.Names);
        Assert.Equal(["cosine"], ScheduleRegistry.Schedules.Names);
        Assert.Equal(["fp32", "fp16", "int32", "int8"], EnergyModel.Registry.Names);
        // the entries build what their names say
        Assert.Equal(ModelFamily.Snn, ModelRegistry.Models.Get("snn").Family);
        Assert.Equal([256L, 512, 1024, 2048], ResNet.ChannelsOf("resnet50"));
        Assert.Equal(DatasetKind.Kinetics400, DatasetKinds.Parse("k400"));
        Assert.IsType<Rectangle>(Surrogate.Parse("rect:0.5"));
        Assert.Equal(0.5, Assert.IsType<LearningRateSchedule>(ScheduleRegistry.Schedules.Get("cosine").Create(1.0, 4, 0)).At(2), 12);
        Assert.Equal(3, Assert.IsType<UniformClipSampler>(ClipSampler.Parse("uniform:3", 8)).Clips);
        Assert.Equal("--optimizer: unknown optimizer 'lion' (use sgd, adamw)",
                     Assert.Throws<ArgumentException>(() => TinyOptions() with { Optimizer = "lion" } is var o ? o.Validate() : null).Message);
        Assert.StartsWith("--model: unknown model 'r3d'", Assert.Throws<ArgumentException>(() => new ReSpikeConfig { Name = "r3d" }.Validate()).Message);
    }

    static TrainingOptions TinyOptions() => Training.TinyRuns.Options();

    [Fact]
    public void Checkpoints_written_before_the_registry_still_name_their_model()
    {
        // before the registry the config stored the enum, written by JsonStringEnumConverter(KebabCaseLower)
        var legacyName = System.Text.Json.JsonSerializer.Serialize(ModelVariant.ReSpikeNoAttention, new System.Text.Json.JsonSerializerOptions
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower) },
        });
        Assert.Equal("\"re-spike-no-attention\"", legacyName);
        var old = ReSpikeConfig.FromJson($$"""{"variant":{{legacyName}},"backbone":"resnet34","num_classes":7,"stride":2,"frames":4,"image_size":64,"fusion":"full3"}""");
        Assert.Equal(new ReSpikeConfig { Name = "respike-noattn", Backbone = "resnet34", NumClasses = 7, Stride = 2, Frames = 4, ImageSize = 64, Fusion = FusionMode.Full3 }, old);
        Assert.Equal(ModelVariant.ReSpikeNoAttention, old.Variant);
        Assert.Equal("respike", ReSpikeConfig.FromJson("""{"variant":"re-spike"}""").Name);
        var written = old.ToJson();
        Assert.Contains("\"name\":\"respike-noattn\"", written);
        Assert.DoesNotContain("variant", written);
        Assert.Equal(old, ReSpikeConfig.FromJson(written));
    }
}
