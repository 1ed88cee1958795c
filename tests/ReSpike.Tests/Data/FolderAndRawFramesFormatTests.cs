using ReSpike.Data;
using ReSpike.Data.Formats;
using ReSpike.Tests.IO;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Data;

/// <summary>Class-per-folder layouts (with or without train/test folders) and mmaction2 rawframes annotations.</summary>
public class FolderAndRawFramesFormatTests
{
    [Fact]
    public void Class_folders_hold_out_every_fifth_video_per_class_for_test()
    {
        using var dir = new TempDirectory();
        Touch(dir.Path, Enumerable.Range(0, 7).Select(i => $"walk/w{i}.avi").ToArray());
        Touch(dir.Path, Enumerable.Range(0, 10).Select(i => $"run/r{i:00}.mp4").ToArray());
        Touch(dir.Path, "run/notes.txt", ".hidden/x.avi");
        var train = FolderFormat.Load(dir.Path, DatasetSubset.Train);
        var test = FolderFormat.Load(dir.Path, DatasetSubset.Test);
        Assert.Equal(["run", "walk"], train.ClassNames);
        Assert.Equal([8, 6], train.CountPerClass());
        Assert.Equal([2, 1], test.CountPerClass());
        Assert.Equal(["r04.mp4", "r09.mp4", "w4.avi"], test.Videos.Select(v => Path.GetFileName(v.Path)));
        Assert.Empty(train.Videos.Select(v => v.Path).Intersect(test.Videos.Select(v => v.Path)));
    }

    [Fact]
    public void Train_and_test_folders_are_the_split_and_train_names_the_classes()
    {
        using var dir = new TempDirectory();
        Touch(dir.Path, "train/a/1.avi", "train/a/2.avi", "train/b/3.avi", "val/b/4.avi", "val/c/5.avi");
        var train = FolderFormat.Load(dir.Path, DatasetSubset.Train);
        var test = FolderFormat.Load(dir.Path, DatasetSubset.Test);
        Assert.Equal(["a", "b"], test.ClassNames);
        Assert.Equal(3, train.Count);
        Assert.Equal([("4.avi", 1)], test.Videos.Select(v => (Path.GetFileName(v.Path), v.Label))); // val/c is not a training class
        using var empty = new TempDirectory();
        Assert.Contains("has no class folders", Assert.Throws<InvalidDataException>(() => FolderFormat.Load(empty.Path, DatasetSubset.Train)).Message);
    }

    [Fact]
    public void Rawframes_list_gives_folders_with_their_frame_counts()
    {
        using var dir = new TempDirectory();
        var ann = Write(dir.Path, "train_list_rawframes.txt", "walk/v1 120 1", "run/v2 64 0", "run/gone 30 0");
        Touch(dir.Path, "walk/v1/img_00001.jpg", "run/v2/img_00001.jpg");
        var data = RawFramesFormat.Load(dir.Path, ann);
        Assert.Equal(["class_0", "class_1"], data.ClassNames);
        Assert.Equal([("walk/v1", 1, 120), ("run/v2", 0, 64)],
            data.Videos.Select(v => (Path.GetRelativePath(dir.Path, v.Path), v.Label, v.FrameCount ?? -1)));
        Assert.Equal([Path.Combine(dir.Path, "run/gone")], data.Missing);
        var map = Write(dir.Path, "map.txt", "run", "walk");
        Assert.Equal(["run", "walk"], RawFramesFormat.Load(dir.Path, ann, map).ClassNames);
    }

    [Theory]
    [InlineData("walk/v1 120", "expected 'frame_dir total_frames label'")]
    [InlineData("walk/v1 0 1", "frames >= 1")]
    [InlineData("walk/v1 ten 1", "got 'walk/v1 ten 1'")]
    [InlineData("walk/v1 10 -2", "label >= 0")]
    public void Malformed_rawframes_lines_name_file_and_line(string badLine, string problem)
    {
        using var dir = new TempDirectory();
        var ann = Write(dir.Path, "list.txt", "run/v2 64 0", badLine);
        var error = Assert.Throws<DatasetFormatException>(() => RawFramesFormat.Load(dir.Path, ann));
        Assert.Equal((ann, 2), (error.File, error.Line));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Rawframes_label_outside_the_label_map_names_its_line()
    {
        using var dir = new TempDirectory();
        var ann = Write(dir.Path, "list.txt", "a 5 0", "b 5 1", "c 5 2");
        var map = Write(dir.Path, "map.txt", "x", "y");
        var error = Assert.Throws<DatasetFormatException>(() => RawFramesFormat.Load(dir.Path, ann, map));
        Assert.Equal(3, error.Line);
        Assert.Contains("label 2 is outside the 2 classes", error.Message);
    }

    [Theory]
    [InlineData("ucf101", DatasetKind.Ucf101)]
    [InlineData("K400", DatasetKind.Kinetics400)]
    [InlineData("Rawframes", DatasetKind.Rawframes)]
    [InlineData("synthetic", DatasetKind.Synthetic)]
    public void Dataset_names_parse(string name, DatasetKind kind) => Assert.Equal(kind, DatasetKinds.Parse(name));

    [Fact]
    public void Unknown_dataset_name_lists_the_known_ones() =>
        Assert.Contains("use synthetic, ucf101, hmdb51, kinetics400, folder, rawframes", Assert.Throws<ArgumentException>(() => DatasetKinds.Parse("imagenet")).Message);

    [Fact]
    public void A_label_outside_the_classes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new VideoDataset("d", ["a", "b"], [new VideoEntry("x.avi", 2)]));
        Assert.Contains("x.avi has label 2, outside 0..1", error.Message);
    }

    [Fact]
    public void Missing_summary_counts_all_and_names_the_first_few()
    {
        var data = new VideoDataset("d", ["a"], [], Enumerable.Range(0, 8).Select(i => $"m{i}.avi").ToList());
        Assert.Equal("8 file(s) listed by 'd' do not exist: m0.avi, m1.avi, m2.avi, m3.avi, m4.avi, ...", data.MissingSummary());
        Assert.Equal("8 file(s) listed by 'd' do not exist: m0.avi, m1.avi, ...", data.MissingSummary(2));
    }
}
