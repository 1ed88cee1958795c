using System.Globalization;
using ReSpike.Runtime;
using ReSpike.Video;

namespace ReSpike.Tests.Video;

/// <summary>
/// Small videos made once with ffmpeg (several codecs and containers, an odd and a variable frame
/// rate, a frames folder) plus broken files, in a temp folder shared by the decoding test classes.
/// Nothing is made when ffmpeg is absent (those tests are skipped).
/// </summary>
public sealed class VideoFixtures : IDisposable
{
    /// <summary>One good fixture: its file, the frames it decodes to, its size, codec and frame rate as ffprobe reports (null: variable).</summary>
    public sealed record Clip(string Name, int Frames, int Width, int Height, string Codec, string? Rate);

    public static readonly Clip Xvid = new("xvid.avi", 20, 64, 48, "mpeg4", "25/1");
    public static readonly Clip H264Aac = new("h264_aac.mp4", 25, 64, 48, "h264", "25/1");
    public static readonly Clip Mjpeg = new("mjpeg.avi", 12, 64, 48, "mjpeg", "25/1");
    public static readonly Clip Ntsc = new("ntsc.mp4", 15, 64, 48, "h264", "30000/1001");
    public static readonly Clip Vfr = new("vfr.mp4", 20, 64, 48, "h264", null); // its average rate is whatever the gaps make it
    public static readonly Clip Dx50 = new("dx50_bframes.avi", 20, 64, 48, "mpeg4", "25/1");
    public static readonly Clip Long = new("long.avi", 60, 128, 96, "mpeg4", "25/1");
    public static readonly Clip Short = new("short.avi", 3, 64, 48, "mpeg4", "25/1");
    public static readonly Clip Portrait = new("portrait.avi", 5, 48, 64, "mpeg4", "25/1");
    public static readonly Clip Red = new("red.avi", 5, 32, 24, "mpeg4", "25/1");
    public static readonly Clip Frames = new("frames", 10, 64, 48, "mjpeg", "30/1");
    public static readonly Clip Rotated = new("rotated.mp4", 15, 48, 64, "h264", "30000/1001"); // ntsc.mp4 shown turned by 90 degrees

    public static readonly IReadOnlyList<Clip> Good = [Xvid, H264Aac, Mjpeg, Ntsc, Vfr, Dx50, Long, Short, Portrait, Red, Frames, Rotated];

    public string Root { get; } = Directory.CreateTempSubdirectory("respike-video-").FullName;

    public string Path(Clip clip) => System.IO.Path.Combine(Root, clip.Name);
    public string Path(string name) => System.IO.Path.Combine(Root, name);

    // broken inputs
    public string Empty => Path("empty.mp4");
    public string TruncatedMp4 => Path("truncated.mp4");
    public string TruncatedAvi => Path("truncated.avi");
    public string TextAvi => Path("text.avi");
    public string DirectoryAvi => Path("folder.avi");
    public string Fifo => Path("fifo.mp4");
    public string AudioOnly => Path("audio_only.mp4");

    public VideoFixtures()
    {
        if (!Ffmpeg.IsAvailable) return;
        const string src = "testsrc=size=64x48:rate=25";
        Make(Xvid, "-f", "lavfi", "-i", src, "-frames:v", "20", "-c:v", "mpeg4", "-vtag", "xvid");
        Make(H264Aac, "-f", "lavfi", "-i", src, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        Make(Mjpeg, "-f", "lavfi", "-i", src, "-frames:v", "12", "-c:v", "mjpeg");
        Make(Ntsc, "-f", "lavfi", "-i", "testsrc=size=64x48:rate=30000/1001", "-frames:v", "15", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        // frames 10..19 are three times further apart: a default (cfr) decode would duplicate frames to 58
        Make(Vfr, "-f", "lavfi", "-i", src, "-frames:v", "20", "-vf", "setpts='if(lt(N,10),N,N*3)/25/TB'", "-fps_mode", "vfr",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        Make(Dx50, "-f", "lavfi", "-i", src, "-frames:v", "20", "-c:v", "mpeg4", "-vtag", "DX50", "-bf", "2");
        Make(Long, "-f", "lavfi", "-i", "testsrc=size=128x96:rate=25", "-frames:v", "60", "-c:v", "mpeg4", "-vtag", "xvid");
        Make(Short, "-f", "lavfi", "-i", src, "-frames:v", "3", "-c:v", "mpeg4", "-vtag", "xvid");
        Make(Portrait, "-f", "lavfi", "-i", "testsrc=size=48x64:rate=25", "-frames:v", "5", "-c:v", "mpeg4", "-vtag", "xvid");
        Make(Red, "-f", "lavfi", "-i", "color=c=0xFF0000:size=32x24:rate=25", "-frames:v", "5", "-c:v", "mpeg4", "-q:v", "2");
        // a display-matrix rotation, as phones write: ffmpeg turns the frames when decoding
        Ffmpeg_("-i", Path(Ntsc), "-c", "copy", "-metadata:s:v:0", "rotate=90", Path(Rotated));
        Directory.CreateDirectory(Path(Frames));
        Ffmpeg_("-f", "lavfi", "-i", src, "-frames:v", "10", "-q:v", "2", System.IO.Path.Combine(Path(Frames), "img_%05d.jpg"));

        Ffmpeg_("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050", "-t", "0.5", "-c:a", "aac", AudioOnly);
        File.WriteAllBytes(Empty, []);
        File.WriteAllBytes(TruncatedMp4, Prefix(Path(H264Aac), 0.4)); // moov atom is at the end: nothing decodes
        File.WriteAllBytes(TruncatedAvi, Prefix(Path(Long), 0.4));    // AVI keeps its header: the first frames decode
        File.WriteAllText(TextAvi, "this is not a video\n");
        Directory.CreateDirectory(DirectoryAvi);
        var mkfifo = ExternalTool.Run("mkfifo", [Fifo], TimeSpan.FromSeconds(10));
        if (mkfifo.ExitCode != 0) throw new InvalidOperationException($"mkfifo failed: {mkfifo.StdErr}");
    }

    static byte[] Prefix(string file, double fraction)
    {
        var bytes = File.ReadAllBytes(file);
        return bytes[..(int)(bytes.Length * fraction)];
    }

    void Make(Clip clip, params string[] args) => Ffmpeg_([.. args, Path(clip)]);

    static void Ffmpeg_(params string[] args)
    {
        var (code, _, stderr) = ExternalTool.Run(Ffmpeg.FfmpegExecutable, ["-nostdin", "-v", "error", "-y", .. args], TimeSpan.FromSeconds(60));
        if (code != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {stderr}");
    }

    /// <summary>ffprobe's own count of decoded frames (-count_frames), the reference for ours.</summary>
    public static int FfprobeCountFrames(string path)
    {
        var (code, stdout, stderr) = ExternalTool.Run(Ffmpeg.FfprobeExecutable,
            ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path],
            TimeSpan.FromSeconds(60));
        if (code != 0) throw new InvalidOperationException($"ffprobe -count_frames {path} failed: {stderr}");
        return int.Parse(stdout.Trim().TrimEnd(','), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class VideoCollection : ICollectionFixture<VideoFixtures>
{
    public const string Name = "videos made with ffmpeg";
}
