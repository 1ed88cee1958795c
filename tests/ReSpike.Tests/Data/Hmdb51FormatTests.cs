using ReSpike.Data;
using ReSpike.Data.Formats;
using ReSpike.Tests.IO;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Data;

/// <summary>HMDB-51: &lt;class&gt;_test_splitN.txt with tags 1 train, 2 test, 0 unused; labels index the sorted class names.</summary>
public class Hmdb51FormatTests
{
    static TempDirectory Layout()
    {
        var dir = new TempDirectory();
        // the official files end each line with a space
        Write(dir.Path, "splits/wave_test_split1.txt", "w_train1.avi 1 ", "w_test.avi 2 ", "w_unused.avi 0 ", "w_train2.avi 1 ", "#2_Gum_wave.avi 1 ");
        Write(dir.Path, "splits/cartwheel_test_split1.txt", "c_unused.avi 0 ", "c_test.avi 2 ", "c_train.avi 1 ");
        Write(dir.Path, "splits/wave_test_split2.txt", "w_train1.avi 2 ", "w_test.avi 1 ");
        Write(dir.Path, "splits/cartwheel_test_split2.txt", "c_train.avi 2 ");
        Touch(dir.Path, "wave/w_train1.avi", "wave/w_test.avi", "wave/w_unused.avi", "cartwheel/c_test.avi", "cartwheel/c_train.avi");
        return dir; // wave/w_train2.avi is listed but missing
    }

    [Fact]
    public void Tag_1_is_train_2_is_test_and_0_is_left_out()
    {
        using var dir = Layout();
        var train = Hmdb51Format.Load(dir.Path, 1, DatasetSubset.Train);
        Assert.Equal(["cartwheel", "wave"], train.ClassNames);
        Assert.Equal([("cartwheel/c_train.avi", 0), ("wave/w_train1.avi", 1)],
            train.Videos.Select(v => (Path.GetRelativePath(dir.Path, v.Path), v.Label)));
        // a name that starts with '#' is a video (HMDB-51 has such names), not a comment
        Assert.Equal([Path.Combine(dir.Path, "wave", "w_train2.avi"), Path.Combine(dir.Path, "wave", "#2_Gum_wave.avi")], train.Missing);
        Assert.Equal("wave_test_split1.txt:1", train.Videos[1].Origin);

        var test = Hmdb51Format.Load(dir.Path, 1, DatasetSubset.Test);
        Assert.Equal([("cartwheel/c_test.avi", 0), ("wave/w_test.avi", 1)],
            test.Videos.Select(v => (Path.GetRelativePath(dir.Path, v.Path), v.Label)));
        Assert.DoesNotContain(train.Videos.Concat(test.Videos), v => v.Path.Contains("unused"));
    }

    [Fact]
    public void Each_split_reads_its_own_files()
    {
        using var dir = Layout();
        var test2 = Hmdb51Format.Load(dir.Path, 2, DatasetSubset.Test);
        Assert.Equal(["cartwheel/c_train.avi", "wave/w_train1.avi"], test2.Videos.Select(v => Path.GetRelativePath(dir.Path, v.Path)));
        Assert.Equal(["wave/w_test.avi"], Hmdb51Format.Load(dir.Path, 2, DatasetSubset.Train).Videos.Select(v => Path.GetRelativePath(dir.Path, v.Path)));
        Assert.Contains("no '*_test_split3.txt'", Assert.Throws<FileNotFoundException>(() => Hmdb51Format.Load(dir.Path, 3, DatasetSubset.Train)).Message);
        Assert.Throws<ArgumentException>(() => Hmdb51Format.Load(dir.Path, 0, DatasetSubset.Train));
    }

    [Theory]
    [InlineData("c_x.avi 3", "TAG 0 (unused), 1 (train) or 2 (test), got 'c_x.avi 3'")]
    [InlineData("c_x.avi", "expected 'video.avi TAG'")]
    [InlineData("c_x.avi one", "got 'c_x.avi one'")]
    [InlineData("c x.avi 1", "got 'c x.avi 1'")]
    public void Malformed_split_lines_name_file_and_line(string badLine, string problem)
    {
        using var dir = Layout();
        var file = Write(dir.Path, "splits/cartwheel_test_split1.txt", "c_train.avi 1 ", "", badLine);
        var error = Assert.Throws<DatasetFormatException>(() => Hmdb51Format.Load(dir.Path, 1, DatasetSubset.Train));
        Assert.Equal((file, 3), (error.File, error.Line));
        Assert.StartsWith($"{file}:3: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Labels_follow_the_sorted_class_names_not_the_file_names()
    {
        // "climb_stairs_test_split1.txt" sorts before "climb_test_split1.txt", but "climb" before "climb_stairs"
        using var dir = new TempDirectory();
        foreach (var c in new[] { "kick_ball", "climb_stairs", "kick", "climb" })
        {
            Write(dir.Path, $"{c}_test_split1.txt", $"{c}_1.avi 1");
            Touch(dir.Path, $"{c}/{c}_1.avi");
        }
        var train = Hmdb51Format.Load(dir.Path, 1, DatasetSubset.Train, dir.Path);
        Assert.Equal(["climb", "climb_stairs", "kick", "kick_ball"], train.ClassNames);
        Assert.Equal([("climb_1.avi", 0), ("climb_stairs_1.avi", 1), ("kick_1.avi", 2), ("kick_ball_1.avi", 3)],
            train.Videos.Select(v => (Path.GetFileName(v.Path), v.Label)));
    }
}
