using ReSpike.Data;
using ReSpike.Data.Formats;
using ReSpike.Tests.IO;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Data;

/// <summary>UCF-101: classInd.txt, trainlist0N.txt with 1-based labels, testlist0N.txt without labels, CRLF, splits 1-3.</summary>
public class Ucf101FormatTests
{
    /// <summary>Three classes, split 1 and 2 lists (CRLF, as the official files), one listed video missing.</summary>
    static TempDirectory Layout()
    {
        var dir = new TempDirectory();
        var root = dir.Path;
        WriteCrlf(root, "classInd.txt", "1 ApplyEyeMakeup", "2 Basketball", "3 YoYo");
        WriteCrlf(root, "trainlist01.txt",
            "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1", "Basketball/v_Basketball_g08_c01.avi 2",
            "YoYo/v_YoYo_g08_c01.avi 3", "YoYo/v_YoYo_g09_c01.avi 3");
        WriteCrlf(root, "testlist01.txt", "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi", "YoYo/v_YoYo_g01_c01.avi", "Basketball/v_Basketball_g01_c01.avi");
        WriteCrlf(root, "trainlist02.txt", "Basketball/v_Basketball_g01_c01.avi 2");
        WriteCrlf(root, "testlist02.txt", "YoYo/v_YoYo_g08_c01.avi");
        Touch(root, "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi", "Basketball/v_Basketball_g08_c01.avi", "YoYo/v_YoYo_g08_c01.avi",
            "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi", "YoYo/v_YoYo_g01_c01.avi", "Basketball/v_Basketball_g01_c01.avi");
        return dir; // YoYo/v_YoYo_g09_c01.avi is listed but missing
    }

    [Fact]
    public void Train_list_labels_are_one_based_and_missing_files_are_listed()
    {
        using var dir = Layout();
        var train = Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train);
        Assert.Equal(["ApplyEyeMakeup", "Basketball", "YoYo"], train.ClassNames);
        Assert.Equal([0, 1, 2], train.Videos.Select(v => v.Label));
        Assert.Equal(Path.Combine(dir.Path, "Basketball/v_Basketball_g08_c01.avi"), train.Videos[1].Path);
        Assert.Equal("trainlist01.txt:2", train.Videos[1].Origin);
        Assert.Equal([Path.Combine(dir.Path, "YoYo/v_YoYo_g09_c01.avi")], train.Missing);
        Assert.Equal($"1 file(s) listed by 'ucf101 split 1 train' do not exist: {Path.Combine(dir.Path, "YoYo/v_YoYo_g09_c01.avi")}", train.MissingSummary());
        Assert.Equal([1, 1, 1], train.CountPerClass());
    }

    [Fact]
    public void Test_list_takes_the_class_from_the_folder()
    {
        using var dir = Layout();
        var test = Ucf101Format.Load(dir.Path, 1, DatasetSubset.Test);
        Assert.Equal([0, 2, 1], test.Videos.Select(v => v.Label));
        Assert.Empty(test.Missing);
        Assert.Null(test.MissingSummary());
    }

    [Fact]
    public void Each_split_reads_its_own_lists()
    {
        using var dir = Layout();
        var train2 = Ucf101Format.Load(dir.Path, 2, DatasetSubset.Train);
        var test2 = Ucf101Format.Load(dir.Path, 2, DatasetSubset.Test);
        Assert.Equal([1], train2.Videos.Select(v => v.Label));
        Assert.Equal([2], test2.Videos.Select(v => v.Label));
        Assert.Equal("ucf101 split 2 test", test2.Name);
        var missing3 = Assert.Throws<FileNotFoundException>(() => Ucf101Format.Load(dir.Path, 3, DatasetSubset.Train));
        Assert.Contains("trainlist03.txt", missing3.Message);
        Assert.Contains("splits 1-3", Assert.Throws<ArgumentException>(() => Ucf101Format.Load(dir.Path, 4, DatasetSubset.Train)).Message);
    }

    [Fact]
    public void Lists_are_found_in_ucfTrainTestlist_or_a_given_folder()
    {
        using var dir = new TempDirectory();
        WriteCrlf(dir.Path, "ucfTrainTestlist/classInd.txt", "1 A", "2 B");
        WriteCrlf(dir.Path, "ucfTrainTestlist/trainlist01.txt", "A/a.avi 1", "B/b.avi 2");
        Touch(dir.Path, "A/a.avi", "B/b.avi");
        Assert.Equal(2, Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train).Count);
        WriteCrlf(dir.Path, "elsewhere/classInd.txt", "1 A", "2 B");
        Write(dir.Path, "elsewhere/trainlist01.txt", "B/b.avi 2");
        Assert.Equal(1, Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train, Path.Combine(dir.Path, "elsewhere")).Count);
        using var empty = new TempDirectory();
        Assert.Contains("pass --annotations", Assert.Throws<FileNotFoundException>(() => Ucf101Format.Load(empty.Path, 1, DatasetSubset.Train)).Message);
    }

    /// <summary>A malformed list line: the error names the file and the line.</summary>
    [Theory]
    [InlineData("trainlist01.txt", "A/a.avi x", 2, "label 'x' is not a class index 1..2")]
    [InlineData("trainlist01.txt", "A/a.avi 0", 2, "label '0' is not a class index 1..2")]
    [InlineData("trainlist01.txt", "A/a.avi 3", 2, "label '3' is not a class index 1..2")]
    [InlineData("trainlist01.txt", "A/a.avi 1 extra", 2, "expected 'Class/video.avi [label]'")]
    [InlineData("trainlist01.txt", "B/b.avi 1", 2, "label 1 (A) disagrees with the folder 'B'")]
    [InlineData("testlist01.txt", "Zumba/v_Zumba_g01_c01.avi", 2, "unknown class 'Zumba'")]
    [InlineData("testlist01.txt", "loose.avi", 2, "'loose.avi' has no class folder and no label")]
    public void Malformed_list_lines_name_file_and_line(string list, string badLine, int lineNumber, string problem)
    {
        using var dir = new TempDirectory();
        WriteCrlf(dir.Path, "classInd.txt", "1 A", "2 B");
        WriteCrlf(dir.Path, list, list.StartsWith("train") ? "A/a.avi 1" : "A/a.avi", badLine);
        var subset = list.StartsWith("train") ? DatasetSubset.Train : DatasetSubset.Test;
        var error = Assert.Throws<DatasetFormatException>(() => Ucf101Format.Load(dir.Path, 1, subset));
        Assert.Equal(lineNumber, error.Line);
        Assert.Equal(Path.Combine(dir.Path, list), error.File);
        Assert.StartsWith($"{Path.Combine(dir.Path, list)}:{lineNumber}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData(new[] { "1 A", "3 B" }, 2, "class index 3 out of order (expected 2)")]
    [InlineData(new[] { "1 A", "B" }, 2, "expected 'index ClassName'")]
    [InlineData(new[] { "", "  " }, 0, "no classes listed")]
    public void Malformed_class_index(string[] lines, int lineNumber, string problem)
    {
        using var dir = new TempDirectory();
        var file = WriteCrlf(dir.Path, "classInd.txt", lines);
        var error = Assert.Throws<DatasetFormatException>(() => Ucf101Format.ReadClassIndex(file));
        Assert.Equal(lineNumber, error.Line);
        Assert.Contains(problem, error.Message);
        Assert.Contains("classInd.txt", error.Message);
    }

    [Fact]
    public void Blank_lines_and_a_byte_order_mark_are_skipped_with_line_numbers_kept()
    {
        using var dir = new TempDirectory();
        WriteCrlf(dir.Path, "classInd.txt", "\uFEFF1 A", "", "2 B");
        WriteCrlf(dir.Path, "trainlist01.txt", "", "A/a.avi 1", "  ", "B/b.avi 2 ");
        var train = Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train);
        Assert.Equal(["A", "B"], train.ClassNames);
        Assert.Equal(2, train.Missing.Count);
        Write(dir.Path, "trainlist01.txt", "", "", "", "A/a.avi nine");
        Assert.Equal(4, Assert.Throws<DatasetFormatException>(() => Ucf101Format.Load(dir.Path, 1, DatasetSubset.Train)).Line);
    }
}
