using ReSpike.Data;
using ReSpike.Data.Formats;
using ReSpike.Tests.Video;

namespace ReSpike.Tests.Data;

/// <summary>The real split files in ../shared/data: weizmann4 (UCF-101 layout, with videos) and the official UCF-101/HMDB-51/Kinetics-400 lists.</summary>
public class SharedDatasetTests
{
    static string Shared(params string[] parts) => Path.Combine([TestAvailability.SharedData!, .. parts]);

    [RequiresSharedDataFact]
    public void Weizmann4_lists_load_as_48_train_and_24_test_videos_of_4_classes()
    {
        var root = Shared("weizmann4");
        var train = Ucf101Format.Load(root, 1, DatasetSubset.Train);
        var test = Ucf101Format.Load(root, 1, DatasetSubset.Test);
        Assert.Equal(["bend", "jumping_jack", "one_hand_wave", "two_hands_wave"], train.ClassNames);
        Assert.Equal(train.ClassNames, test.ClassNames);
        Assert.Equal((48, 24), (train.Count, test.Count));
        Assert.Equal([12, 12, 12, 12], train.CountPerClass());
        Assert.Equal([6, 6, 6, 6], test.CountPerClass());
        Assert.Empty(train.Missing);
        Assert.Empty(test.Missing);
        Assert.Empty(train.Videos.Select(v => v.Path).Intersect(test.Videos.Select(v => v.Path)));
        // the spec the CLI builds for --dataset ucf101 --root weizmann4 reads the same lists
        var (viaSpec, _) = new DatasetSpec { Kind = DatasetKind.Ucf101, Root = root, CacheDirectory = null }.Open(DatasetSubset.Test);
        Assert.Equal(test.Videos, viaSpec.Videos);
    }

    [RequiresSharedDataFact]
    public void Official_ucf101_lists_parse_for_all_three_splits()
    {
        var dir = Shared("splits", "ucf101");
        int[] train = [9537, 9586, 9624], test = [3783, 3734, 3696];
        for (int split = 1; split <= 3; split++)
        {
            var tr = Ucf101Format.Load(dir, split, DatasetSubset.Train);
            var te = Ucf101Format.Load(dir, split, DatasetSubset.Test);
            Assert.Equal(101, tr.ClassNames.Count);
            // the lists sit without their videos here: every entry is listed as missing, none dropped silently
            Assert.Equal((0, train[split - 1], 0, test[split - 1]), (tr.Count, tr.Missing.Count, te.Count, te.Missing.Count));
        }
    }

    [RequiresSharedDataFact]
    public void Official_hmdb51_split_files_give_70_train_and_30_test_per_class()
    {
        var dir = Shared("splits", "hmdb51");
        var train = Hmdb51Format.Load(dir, 1, DatasetSubset.Train, dir);
        var test = Hmdb51Format.Load(dir, 1, DatasetSubset.Test, dir);
        Assert.Equal(51, train.ClassNames.Count);
        // labels index the sorted class names, as torchvision's HMDB51 ("climb" before "climb_stairs")
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, "class_list.txt")).Select(l => l.Trim()).Where(l => l.Length > 0).Order(StringComparer.Ordinal), train.ClassNames);
        Assert.Equal((5, 6), (train.ClassNames.ToList().IndexOf("climb"), train.ClassNames.ToList().IndexOf("climb_stairs")));
        // all of them, including the 14 training videos whose names start with '#'
        Assert.Equal((3570, 1530), (train.Missing.Count, test.Missing.Count));
        Assert.Equal(14, train.Missing.Count(m => Path.GetFileName(m).StartsWith('#')));
    }

    [RequiresSharedDataFact]
    public void Official_kinetics400_val_csv_matches_the_label_map_and_the_test_csv_is_refused()
    {
        var dir = Shared("splits", "kinetics400");
        var map = Path.Combine(dir, "label_map_k400.txt");
        var val = Kinetics400Format.Load(dir, DatasetSubset.Test, Path.Combine(dir, "kinetics-400_val.csv"), map);
        Assert.Equal(400, val.ClassNames.Count);
        Assert.Equal(19906, val.Missing.Count);
        Assert.All(val.Missing, name => Assert.Matches(@"^[A-Za-z0-9_-]{11}_\d{6}_\d{6}\.mp4$", name)); // <youtube id>_<start:06>_<end:06>.mp4
        Assert.Equal("0wR5jVB-WPk_000417_000427.mp4", val.Missing[0]);
        var error = Assert.Throws<DatasetFormatException>(() => Kinetics400Format.Load(dir, DatasetSubset.Test, Path.Combine(dir, "kinetics-400_test.csv"), map));
        Assert.Equal(1, error.Line);
        Assert.Contains("header lacks column 'label'", error.Message);
    }
}
