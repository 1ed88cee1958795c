using System.Globalization;
using ReSpike.Data;
using ReSpike.Video;

namespace ReSpike.Tests.Video;

/// <summary>The real clips of ../shared/data/action_clips (xvid and DX50 AVI with packed B-frames, H.264 MP4 with audio, H.264-in-AVI 1080p).</summary>
public class SharedClipsTests
{
    sealed record Row(string File, int HeaderFrames, int DecodedFrames, int Width, int Height, string Codec);

    static List<Row> Summary(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "ffprobe_summary.tsv"));
        var columns = lines[0].Split('\t').Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new Row(
            f[columns["file"]], int.Parse(f[columns["nb_frames_header"]], CultureInfo.InvariantCulture),
            int.Parse(f[columns["decoded_frames"]], CultureInfo.InvariantCulture), int.Parse(f[columns["width"]], CultureInfo.InvariantCulture),
            int.Parse(f[columns["height"]], CultureInfo.InvariantCulture), f[columns["vcodec"]])).ToList();
    }

    [RequiresSharedDataFact(decodes: true)]
    public void Probe_counts_what_decodes_for_every_action_clip_as_the_ffprobe_summary_says()
    {
        var folder = Path.Combine(TestAvailability.SharedData!, "action_clips");
        var rows = Summary(folder);
        Assert.Equal(15, rows.Count);
        // every video file in the folder is in the summary, and the other way round
        Assert.Equal(rows.Select(r => r.File).Order(StringComparer.Ordinal),
            VideoFiles.Expand([folder]).Select(p => Path.GetRelativePath(folder, p)).Order(StringComparer.Ordinal));
        var wrong = new List<string>();
        foreach (var row in rows)
        {
            var result = ProbeResult.Check(Path.Combine(folder, row.File), TimeSpan.FromSeconds(60));
            if (!result.Ok || result.Frames != row.DecodedFrames || result.HeaderFrames != row.HeaderFrames
                || (result.Width, result.Height, result.Codec) != (row.Width, row.Height, row.Codec))
                wrong.Add($"{row.File}: ok={result.Ok} frames {result.Frames} (want {row.DecodedFrames}), header {result.HeaderFrames} (want {row.HeaderFrames}), " +
                          $"{result.Width}x{result.Height} {result.Codec} (want {row.Width}x{row.Height} {row.Codec}) {result.Error}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // the packed B-frame DivX files are where header and decoded counts part
        Assert.Equal(4, rows.Count(r => r.HeaderFrames == r.DecodedFrames + 1));
    }

    [RequiresSharedDataFact(decodes: true)]
    public void The_1080p_h264_in_avi_clip_decodes_resized_on_the_shorter_side()
    {
        var path = Path.Combine(TestAvailability.SharedData!, "action_clips", "ntu_rgbd", "S001C001P001R001A001_rgb.avi");
        var frames = VideoDecoder.Decode(path, new DecodeOptions { ShortSide = 128, MaxFrames = 10 });
        Assert.Equal((10, 228, 128), (frames.Count, frames.Width, frames.Height));
    }
}
