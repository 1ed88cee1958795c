using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;

namespace ReSpike.Tests.Distributed;

/// <summary>`mpiexec -n 2 respike predict` over many files prints and writes what one process does, in the given order, errors included.</summary>
public class ShardedPredictionTests
{
    [RequiresMpiFact(ffmpeg: true)]
    public void Two_ranks_predict_every_file_as_one_process_does()
    {
        using var dir = new TempDirectory();
        using var videos = new VideoFixtures();
        var checkpoint = dir.File("init.safetensors");
        var (code, output) = CliProcess.Run(["init", "--model", "ann", "--classes", "6", "--image", "32", "--frames", "4", "--stride", "2", "--seed", "4", "--out", checkpoint]);
        Assert.True(code == 0, output);
        // five files, one broken: rank 0 gets files 1, 3, 5 and rank 1 files 2, 4
        string[] files = [videos.Path(VideoFixtures.Xvid), videos.Path(VideoFixtures.Mjpeg), videos.TextAvi, videos.Path(VideoFixtures.Long), videos.Path(VideoFixtures.Short)];
        string[] predict = ["predict", "--checkpoint", checkpoint, "--clips", "2", "--top", "3", "--threads", "1", .. files];

        (code, var one) = CliProcess.Run([.. predict, "--json", dir.File("one.json")]);
        Assert.True(code == 1, "one process, a broken file: exit 1\n" + one);
        (code, var two) = CliProcess.Run([.. predict, "--json", dir.File("two.json")], ranks: 2);
        Assert.True(code == 1, "two ranks, a broken file: exit 1\n" + two);

        Assert.Equal(File.ReadAllText(dir.File("one.json")), File.ReadAllText(dir.File("two.json")));
        var printed = files.Select(f => two.IndexOf(f, StringComparison.Ordinal)).ToList();
        Assert.All(printed, i => Assert.True(i >= 0, two));
        Assert.Equal(printed.Where((_, k) => k != 2).Order(), printed.Where((_, k) => k != 2));   // the decodable files in the given order
        Assert.Contains($"error: {videos.TextAvi}", two);
    }
}
