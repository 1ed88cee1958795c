using ReSpike.Data;
using ReSpike.Demo;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

/// <summary>The rules between --config, --set, flags and --resume/--init (<see cref="TrainingInvocation"/>) and the named configs.</summary>
public class TrainingInvocationTests
{
    static string Configs => Path.Combine(RepositoryRoot(), "configs");

    static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ReSpike.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"no ReSpike.sln above {AppContext.BaseDirectory}");
    }

    static TrainingOptions Build(TrainingInvocation invocation) => (invocation with { Out = invocation.Out ?? "unused-run" }).Build().Options;

    [Theory]
    [InlineData("respike", "respike_r18_8x4_10e_weizmann4")]
    [InlineData("ann", "ann_r18_8x4_10e_weizmann4")]
    [InlineData("respike-srf-ti", "respike-srf-ti_r18_8x4_10e_weizmann4")]
    public void The_weizmann_named_config_is_the_readme_command(string model, string name)
    {
        using var root = new TempDirectory();
        // README: respike train --dataset ucf101 --root ../shared/data/weizmann4 --split 1 [--model ann] --image 64 --frames 8 --stride 4
        //         --batch 16 --epochs 10 --optimizer adamw --lr 1e-3 --min-crop-scale 0.5
        var readme = Build(new TrainingInvocation
        {
            Flags = new TrainingFlags
            {
                Model = model == "respike" ? null : model, Image = 64, Frames = 8, Stride = 4, Batch = 16, Epochs = 10, Optimizer = "adamw", LearningRate = 1e-3, MinCropScale = 0.5,
                Data = new DatasetFlags { Dataset = "ucf101", Root = root.Path, Split = 1 },
            },
        });
        var named = Build(new TrainingInvocation { Config = name, Flags = new TrainingFlags { Data = new DatasetFlags { Root = root.Path } } });
        Assert.Equal(readme.ToJson(), named.ToJson());
        Assert.Equal((model, 10, 16, 64, DatasetKind.Ucf101, root.Path), (named.Model.Name, named.Epochs, named.BatchSize, named.Model.ImageSize, named.Data.Kind, named.Data.Root));

        // --set epochs=1 changes that field and nothing else
        var once = Build(new TrainingInvocation { Config = name, Sets = ["epochs=1"], Flags = new TrainingFlags { Data = new DatasetFlags { Root = root.Path } } });
        Assert.Equal((named with { Epochs = 1 }).ToJson(), once.ToJson());
    }

    [Theory]
    [InlineData(ModelVariant.ReSpike, "respike_r18_8x4_12e_synthetic")]
    [InlineData(ModelVariant.Ann, "ann_r18_8x4_12e_synthetic")]
    public void The_demo_named_configs_are_the_demos_settings(ModelVariant variant, string name)
    {
        var demo = DemoRunner.Options(new DemoSettings(), variant).Validate();
        Assert.Equal(demo.ToJson(), Build(new TrainingInvocation { Config = name }).ToJson());
    }

    [Fact]
    public void Every_named_config_follows_the_naming_scheme()
    {
        var names = NamedConfigs.Names([Configs]);
        Assert.Contains("respike_r18_8x4_10e_weizmann4", names);
        Assert.Contains("spikingresformer-fmnist_t1_4e_idx", names);
        Assert.Contains("respike-srf-ti_r18_8x4_10e_weizmann4", names);
        Assert.Equal(25, names.Count);
        // the paper's ablation E1-E9 (HMDB-51, ResNet-18) and Table 1's SNN baselines ship as recipes
        foreach (var recipe in new[] { "ann-all_r18_16x4_100e_hmdb51", "ms-resnet18_t16_100e_hmdb51", "respike-rgb_r18_16x4_100e_hmdb51", "ann_r18_16x4_100e_hmdb51",
                                       "ann-res_r18_16x4_100e_hmdb51", "snn_16x4_100e_hmdb51", "snn-key_16x4_100e_hmdb51", "respike-noattn_r18_16x4_100e_hmdb51",
                                       "respike_r18_16x4_100e_hmdb51", "snn-resnet18_t16_100e_hmdb51", "tet-resnet18_t16_100e_hmdb51",
                                       "ms-resnet18_t16_100e_ucf101", "snn-resnet18_t16_100e_ucf101", "tet-resnet18_t16_100e_ucf101" })
            Assert.Contains(recipe, names);
        foreach (var name in names)
        {
            var o = TrainingOptions.FromJsonFile(Path.Combine(Configs, name + ".json"));
            var dataset = o.Data.Kind == DatasetKind.Ucf101 && name.EndsWith("weizmann4") ? "weizmann4" : o.Data.Kind.ToString().ToLowerInvariant();
            // mmaction2's scheme: model[_backbone]_{frames}x{stride}_{epochs}e_{dataset}; image models and SNNs fed one RGB frame per
            // timestep count timesteps (t{T}): their stride does not change what they see
            var model = ModelRegistry.Models.Get(o.Model.Name).ImageNetTrunk ? $"{o.Model.Name}_r{o.Model.Backbone["resnet".Length..]}" : o.Model.Name;
            bool perTimestep = o.Data.Kind == DatasetKind.Idx
                || ReSpikePresets.All.Any(p => p.Name == o.Model.Name && p.Variant == ModelVariant.Snn && p.Snn == SnnInput.Rgb);
            var clip = perTimestep ? $"t{o.Model.Frames}" : $"{o.Model.Frames}x{o.Model.Stride}";
            Assert.Equal($"{model}_{clip}_{o.Epochs}e_{dataset}", name);
            // no machine-specific data path (--root on the command line), except a Debian data package's fixed location
            Assert.True(o.Data.Root is null || o.Data.Root.StartsWith("/usr/share/datasets/", StringComparison.Ordinal), $"{name}: data root {o.Data.Root}");
        }
    }

    [Fact]
    public void Precedence_is_config_then_set_then_flags()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), """{ "epochs": 12, "batch_size": 4, "model": { "stride": 4, "frames": 8 } }""");
        var fromFile = Build(new TrainingInvocation { Config = dir.File("c.json") });
        Assert.Equal((12, 4, 4), (fromFile.Epochs, fromFile.BatchSize, fromFile.Model.Stride));

        var set = Build(new TrainingInvocation { Config = dir.File("c.json"), Sets = ["epochs=3", "model.stride=2", "data.decode.short_side=128", "learning_rate=0.001", "optimizer=adamw", "epochs=5"] });
        Assert.Equal((5, 4, 2, 128, 0.001, "adamw"), (set.Epochs, set.BatchSize, set.Model.Stride, set.Data.Decode.ShortSide, set.LearningRate, set.Optimizer));   // the last --set of a key wins

        var flag = Build(new TrainingInvocation { Config = dir.File("c.json"), Sets = ["epochs=3"], Flags = new TrainingFlags { Epochs = 7 } });
        Assert.Equal((7, 4), (flag.Epochs, flag.BatchSize));

        // without a config, --set applies to the defaults
        var defaults = Build(new TrainingInvocation { Sets = ["data.synthetic_videos_per_class=3", "horizontal_flip=false", "test_crop=scaled-centre"] });
        Assert.Equal((3, false, ReSpike.Data.Transforms.TestCrop.ScaledCentre, 10), (defaults.Data.SyntheticVideosPerClass, defaults.HorizontalFlip, defaults.TestCrop, defaults.Epochs));
    }

    [Theory]
    [InlineData("epoch=1", "unknown config key 'epoch'", "epochs")]
    [InlineData("model.strides=2", "unknown config key 'model.strides'", "model.stride")]
    [InlineData("short_side=128", "unknown config key 'short_side'", "data.decode.short_side")]
    [InlineData("epochs=abc", "epochs takes an integer", "'abc'")]
    [InlineData("learning_rate=fast", "learning_rate takes a number", "'fast'")]
    [InlineData("evaluate=maybe", "evaluate takes true or false", "maybe")]
    [InlineData("epochs=null", "epochs cannot be null", "integer")]
    [InlineData("train_crop=diagonal", "train_crop takes one of random-resized, multiscale", "diagonal")]
    [InlineData("epochs", "expected key=value", "--set epochs")]
    public void Bad_set_assignments_name_the_key_and_close_matches(string assignment, string message, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => Build(new TrainingInvocation { Sets = [assignment] }));
        Assert.Contains(message, e.Message);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Optional_fields_take_null_and_strings_take_bare_text()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), """{ "pretrained": "missing.safetensors" }""");
        var o = Build(new TrainingInvocation { Config = dir.File("c.json"), Sets = ["pretrained=null", "sampling=uniform:2", "data.decode.frames_per_second=12.5"] });
        Assert.Equal((null, "uniform:2", 12.5), (o.Pretrained, o.Sampling, o.Data.Decode.FramesPerSecond));
    }

    [Fact]
    public void An_unknown_config_name_lists_the_available_ones_and_paths_must_exist()
    {
        var e = Assert.Throws<ArgumentException>(() => NamedConfigs.Resolve("respike_r18_8x4_10e_weizman4", [Configs]));
        Assert.Contains("no config named 'respike_r18_8x4_10e_weizman4'", e.Message);
        Assert.Contains("respike_r18_8x4_10e_weizmann4, respike_r18_8x4_12e_synthetic", e.Message);
        Assert.Equal(Path.Combine(Configs, "ann_r18_8x4_12e_synthetic.json"), NamedConfigs.Resolve("ann_r18_8x4_12e_synthetic", [Configs]));
        // the default search finds the repository's configs/ when running from source
        Assert.Equal(Path.Combine(Configs, "ann_r18_8x4_12e_synthetic.json"), NamedConfigs.Resolve("ann_r18_8x4_12e_synthetic"));
        Assert.Equal(Configs, NamedConfigs.SearchFolders()[0]);
        var missing = Assert.Throws<FileNotFoundException>(() => NamedConfigs.Resolve("nowhere/c.json"));
        Assert.Contains("--config: file not found", missing.Message);
        Assert.Contains(Path.GetFullPath("nowhere/c.json"), missing.Message);
    }

    [Fact]
    public void Resume_and_init_rules_name_the_flag()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => new TrainingInvocation().Build());
        Assert.Contains("--out is required", e.Message);
        e = Assert.Throws<ArgumentException>(() => new TrainingInvocation { Out = dir.Path, Resume = true, Init = dir.File("w.safetensors") }.Build());
        Assert.Contains("--init", e.Message);
        Assert.Contains("--resume", e.Message);
        e = Assert.Throws<ArgumentException>(() => new TrainingInvocation { ResumeFrom = dir.File("r/last.safetensors") }.Build());
        Assert.Contains($"--resume: checkpoint not found: {dir.File("r/last.safetensors")}", e.Message);
        e = Assert.Throws<ArgumentException>(() => new TrainingInvocation { Out = dir.File("run"), Init = dir.File("w.safetensors") }.Build());
        Assert.Contains($"--init: file not found: {dir.File("w.safetensors")}", e.Message);

        // --resume CKPT: the run folder is the checkpoint's, and its config.json is the baseline
        Directory.CreateDirectory(dir.File("r"));
        File.WriteAllText(dir.File("r/last.safetensors"), "");
        File.WriteAllText(dir.File("r/config.json"), """{ "epochs": 4, "batch_size": 3 }""");
        var plan = new TrainingInvocation { ResumeFrom = dir.File("r/last.safetensors"), Flags = new TrainingFlags { Epochs = 6 } }.Build();
        Assert.Equal((dir.File("r"), true, 6, 3), (plan.OutputDirectory, plan.Resume, plan.Options.Epochs, plan.Options.BatchSize));
    }

    [Fact]
    public void Config_paths_under_the_working_directory_are_written_relative()
    {
        var cwd = Directory.GetCurrentDirectory();
        var o = new TrainingOptions { Pretrained = Path.Combine(cwd, "w", "r.safetensors"), Data = new DatasetSpec { Root = Path.Combine(cwd, "data", "x"), LabelMap = "/elsewhere/labels.txt" } }
            .WithPathsRelativeTo(cwd);
        Assert.Equal((Path.Combine("w", "r.safetensors"), Path.Combine("data", "x"), "/elsewhere/labels.txt"), (o.Pretrained, o.Data.Root, o.Data.LabelMap));
    }
}
