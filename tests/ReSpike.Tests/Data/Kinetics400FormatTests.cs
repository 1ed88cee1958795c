using ReSpike.Data;
using ReSpike.Data.Formats;
using ReSpike.Tests.IO;
using static ReSpike.Tests.Data.DatasetFiles;

namespace ReSpike.Tests.Data;

/// <summary>Kinetics-400: the official CSV (files &lt;id&gt;_&lt;start:06&gt;_&lt;end:06&gt;.mp4) and mmaction2 "path label" lists.</summary>
public class Kinetics400FormatTests
{
    const string Header = "label,youtube_id,time_start,time_end,split,is_cc";

    [Fact]
    public void Csv_rows_find_their_files_under_the_usual_folders()
    {
        using var dir = new TempDirectory();
        var csv = Write(dir.Path, "kinetics-400_val.csv", Header,
            "abseiling,0wR5jVB-WPk,417,427,val,0",
            "\"air drumming\",-Qx_9Yh6b9k,5,15,val,0",
            "\"air drumming\",ZZZmissing1,0,10,val,0",
            "zumba,abc,7,17,val,0");
        Touch(dir.Path, "abseiling/0wR5jVB-WPk_000417_000427.mp4", // root/<label>/
            "val/air_drumming/-Qx_9Yh6b9k_000005_000015.mp4",       // root/<split>/<label with _>/
            "abc_000007_000017.mp4");                                 // root/
        var data = Kinetics400Format.Load(dir.Path, DatasetSubset.Test);
        Assert.Equal(["abseiling", "air drumming", "zumba"], data.ClassNames);
        Assert.Equal([("abseiling/0wR5jVB-WPk_000417_000427.mp4", 0), ("val/air_drumming/-Qx_9Yh6b9k_000005_000015.mp4", 1), ("abc_000007_000017.mp4", 2)],
            data.Videos.Select(v => (Path.GetRelativePath(dir.Path, v.Path), v.Label)));
        Assert.Equal(["ZZZmissing1_000000_000010.mp4"], data.Missing);
        Assert.Equal("kinetics-400_val.csv:2", data.Videos[0].Origin);
        // the file was found by its default name: naming it explicitly gives the same videos
        Assert.Equal(data.Videos, Kinetics400Format.Load(dir.Path, DatasetSubset.Test, csv).Videos);
    }

    [Fact]
    public void A_label_map_fixes_the_class_order_and_rejects_unknown_classes()
    {
        using var dir = new TempDirectory();
        var map = Write(dir.Path, "label_map_k400.txt", "zumba", "abseiling", "air drumming");
        var csv = Write(dir.Path, "k.csv", Header, "abseiling,a,1,11,val,0", "zumba,z,1,11,val,0");
        var data = Kinetics400Format.Load(dir.Path, DatasetSubset.Train, csv, map);
        Assert.Equal(["zumba", "abseiling", "air drumming"], data.ClassNames);
        Assert.Equal(2, data.Missing.Count);

        Write(dir.Path, "k.csv", Header, "abseiling,a,1,11,val,0", "yodelling,y,1,11,val,0");
        var error = Assert.Throws<DatasetFormatException>(() => Kinetics400Format.Load(dir.Path, DatasetSubset.Train, csv, map));
        Assert.Equal(3, error.Line);
        Assert.Contains("unknown class 'yodelling'", error.Message);

        Write(dir.Path, "dup.txt", "a", "b", "a");
        Assert.Contains("class 'a' is listed twice", Assert.Throws<DatasetFormatException>(() => LabelMap.Read(Path.Combine(dir.Path, "dup.txt"))).Message);
    }

    [Theory]
    [InlineData("youtube_id,time_start,time_end,split", null, 1, "header lacks column 'label'")]
    [InlineData(Header, "abseiling,a,x,10,val,0", 2, "time_start/time_end are not whole seconds")]
    [InlineData(Header, "abseiling,a,1", 2, "expected 6 columns, got 3")]
    public void Malformed_csv_names_file_and_line(string header, string? row, int line, string problem)
    {
        using var dir = new TempDirectory();
        var csv = row is null ? Write(dir.Path, "k.csv", header, "a,1,11,test") : Write(dir.Path, "k.csv", header, row);
        var error = Assert.Throws<DatasetFormatException>(() => Kinetics400Format.Load(dir.Path, DatasetSubset.Train, csv));
        Assert.Equal((csv, line), (error.File, error.Line));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Mmaction2_lists_append_mp4_and_number_the_classes()
    {
        using var dir = new TempDirectory();
        var list = Write(dir.Path, "kinetics400_train_list_videos.txt", "abseiling/a.mp4 0", "zumba/z 2", "abseiling/gone.mp4 0", "dir with space/s.mkv 1");
        Touch(dir.Path, "abseiling/a.mp4", "zumba/z.mp4", "dir with space/s.mkv");
        var data = Kinetics400Format.Load(dir.Path, DatasetSubset.Train); // found by its default name
        Assert.Equal(["class_0", "class_1", "class_2"], data.ClassNames);
        Assert.Equal([("abseiling/a.mp4", 0), ("zumba/z.mp4", 2), ("dir with space/s.mkv", 1)],
            data.Videos.Select(v => (Path.GetRelativePath(dir.Path, v.Path), v.Label)));
        Assert.Equal([Path.Combine(dir.Path, "abseiling/gone.mp4")], data.Missing);

        var map = Write(dir.Path, "map.txt", "abseiling", "dancing", "zumba");
        Assert.Equal(["abseiling", "dancing", "zumba"], Kinetics400Format.Load(dir.Path, DatasetSubset.Train, list, map).ClassNames);
        var small = Write(dir.Path, "small.txt", "abseiling", "dancing");
        var outside = Assert.Throws<DatasetFormatException>(() => Kinetics400Format.Load(dir.Path, DatasetSubset.Train, list, small));
        Assert.Equal(2, outside.Line);
        Assert.Contains("label 2 is outside the 2 classes", outside.Message);
    }

    [Theory]
    [InlineData("abseiling/a.mp4")]
    [InlineData("abseiling/a.mp4 -1")]
    [InlineData("abseiling/a.mp4 zero")]
    public void Malformed_list_lines_name_file_and_line(string badLine)
    {
        using var dir = new TempDirectory();
        var list = Write(dir.Path, "list.txt", "ok.mp4 0", badLine);
        var error = Assert.Throws<DatasetFormatException>(() => Kinetics400Format.Load(dir.Path, DatasetSubset.Train, list));
        Assert.Equal((list, 2), (error.File, error.Line));
        Assert.Contains("expected 'relative/path label'", error.Message);
    }

    [Fact]
    public void No_annotation_file_says_which_names_were_tried()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<FileNotFoundException>(() => Kinetics400Format.Load(dir.Path, DatasetSubset.Test));
        Assert.Contains("kinetics-400_val.csv", error.Message);
        Assert.Contains("--annotations", error.Message);
    }
}
