using ReSpike.Data;
using ReSpike.Data.Formats;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;
using ReSpike.Training;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Data;

/// <summary>--label-order: UCF-101 numbered by classInd.txt (default) or by torchvision's sorted folder names (the reference's).</summary>
public class Ucf101LabelOrderTests
{
    /// <summary>
    /// classInd.txt in its own (case-insensitive alphabetical) numbering, as the official file: Python's sorted()
    /// puts uppercase before lowercase, so HammerThrow precedes Hammering and archery comes last.
    /// </summary>
    static TempDirectory Layout()
    {
        var dir = new TempDirectory();
        WriteCrlf(dir.Path, "classInd.txt", "1 archery", "2 Hammering", "3 HammerThrow", "4 YoYo");
        WriteCrlf(dir.Path, "trainlist01.txt", "archery/a1.avi 1", "Hammering/h1.avi 2", "HammerThrow/t1.avi 3", "YoYo/y1.avi 4", "HammerThrow/t2.avi 3");
        WriteCrlf(dir.Path, "testlist01.txt", "YoYo/y2.avi", "Hammering/h2.avi", "archery/a2.avi", "HammerThrow/t3.avi");
        Touch(dir.Path, "archery/a1.avi", "Hammering/h1.avi", "HammerThrow/t1.avi", "YoYo/y1.avi", "HammerThrow/t2.avi",
            "YoYo/y2.avi", "Hammering/h2.avi", "archery/a2.avi", "HammerThrow/t3.avi");
        return dir;
    }

    static string FolderOf(VideoEntry v) => Path.GetFileName(Path.GetDirectoryName(v.Path)!);

    [Fact]
    public void Folders_order_numbers_the_classes_as_pythons_sorted_and_every_video_keeps_its_class()
    {
        using var dir = Layout();
        var classInd = Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train);
        var folders = Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train, order: LabelOrder.Folders);
        Assert.Equal(["archery", "Hammering", "HammerThrow", "YoYo"], classInd.ClassNames);
        Assert.Equal(["HammerThrow", "Hammering", "YoYo", "archery"], folders.ClassNames); // sorted(["archery", "Hammering", "HammerThrow", "YoYo"])
        Assert.Equal([0, 1, 2, 3, 2], classInd.Videos.Select(v => v.Label));
        Assert.Equal([3, 1, 0, 2, 0], folders.Videos.Select(v => v.Label));
        Assert.Equal(classInd.Videos.Select(v => v.Path), folders.Videos.Select(v => v.Path));
        foreach (var set in new[] { classInd, folders })
            Assert.All(set.Videos, v => Assert.Equal(FolderOf(v), set.ClassNames[v.Label]));

        // the test list takes its class from the folder, in either order
        var test = Ucf101Format.Load(dir.Path, 1, DatasetSubset.Test, order: LabelOrder.Folders);
        Assert.Equal(folders.ClassNames, test.ClassNames);
        Assert.Equal([2, 1, 3, 0], test.Videos.Select(v => v.Label));
        Assert.All(test.Videos, v => Assert.Equal(FolderOf(v), test.ClassNames[v.Label]));
    }

    [Fact]
    public void The_spec_passes_the_order_on_and_the_run_config_saves_it()
    {
        using var dir = Layout();
        var spec = new DatasetSpec { Kind = DatasetKind.Ucf101, Root = dir.Path, CacheDirectory = null, LabelOrder = LabelOrder.Folders };
        var (train, _) = spec.Open(DatasetSubset.Train);
        Assert.Equal("HammerThrow", train.ClassNames[0]);

        var config = dir.File("config.json");
        File.WriteAllText(config, new TrainingOptions { Data = spec }.ToJson());
        Assert.Contains("\"label_order\": \"folders\"", File.ReadAllText(config));
        Assert.Equal(LabelOrder.Folders, TrainingOptions.FromJsonFile(config).Data.LabelOrder);
        File.WriteAllText(config, new TrainingOptions { Data = spec with { LabelOrder = LabelOrder.ClassInd } }.ToJson());
        Assert.Contains("\"label_order\": \"classind\"", File.ReadAllText(config));
        Assert.Equal(LabelOrder.ClassInd, TrainingOptions.FromJsonFile(config).Data.LabelOrder);
    }

    [Fact]
    public void A_model_trained_in_either_order_is_evaluated_in_its_own()
    {
        using var dir = Layout();
        var spec = new DatasetSpec { Kind = DatasetKind.Ucf101, Root = dir.Path, CacheDirectory = null };
        foreach (var order in new[] { LabelOrder.Folders, LabelOrder.ClassInd })
        {
            var (trained, _) = (spec with { LabelOrder = order }).Open(DatasetSubset.Train);
            var (evaluated, _) = spec.WithLabelOrderOf(trained.ClassNames).Open(DatasetSubset.Test);
            Assert.Equal(trained.ClassNames, evaluated.ClassNames);
        }
        Assert.Equal(LabelOrder.Folders, LabelOrders.Of(["A", "B", "a"]));
        Assert.Equal(LabelOrder.ClassInd, LabelOrders.Of(["a", "B"]));
        // other layouts have one numbering: their spec is left alone, and asking for folders is an error naming the flag
        var hmdb = new DatasetSpec { Kind = DatasetKind.Hmdb51, Root = dir.Path };
        Assert.Equal(LabelOrder.ClassInd, hmdb.WithLabelOrderOf(["A", "B"]).LabelOrder);
        var error = Assert.Throws<ArgumentException>(() => (hmdb with { LabelOrder = LabelOrder.Folders }).Open(DatasetSubset.Train));
        Assert.StartsWith("--label-order folders applies to --dataset ucf101 only", error.Message);
        Assert.StartsWith("--label-order", Assert.Throws<ArgumentException>(() => LabelOrders.Parse("sorted")).Message);
    }

    [RequiresSharedDataFact]
    public void On_the_real_ucf101_classes_the_orders_differ_in_two_pairs()
    {
        var dir = Path.Combine(TestAvailability.SharedData!, "splits", "ucf101");
        var classInd = Ucf101Format.Load(dir, 1, DatasetSubset.Test).ClassNames;
        var folders = Ucf101Format.Load(dir, 1, DatasetSubset.Test, order: LabelOrder.Folders).ClassNames;
        Assert.Equal(101, folders.Count);
        var differ = Enumerable.Range(0, 101).Where(i => classInd[i] != folders[i]).ToArray();
        Assert.Equal([34, 35, 46, 47], differ);
        Assert.Equal(("Hammering", "HammerThrow", "JumpingJack", "JumpRope"), (classInd[34], classInd[35], classInd[46], classInd[47]));
        Assert.Equal(("HammerThrow", "Hammering", "JumpRope", "JumpingJack"), (folders[34], folders[35], folders[46], folders[47]));
    }
}
