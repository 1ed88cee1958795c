using System.Text.Json.Nodes;
using ReSpike.Tests.Cli;
using ReSpike.Tests.IO;
using ReSpike.Tests.Video;

namespace ReSpike.Tests.Distributed;

/// <summary>`mpiexec -n 2 respike prepare` fills the same frame cache as one process and reports the same counts.</summary>
public class ShardedPrepareTests
{
    [RequiresMpiFact(sharedData: true)]
    public void Two_ranks_fill_the_cache_one_process_fills()
    {
        using var dir = new TempDirectory();
        string[] prepare = ["prepare", "--dataset", "ucf101", "--root", Path.Combine(TestAvailability.SharedData!, "weizmann4"), "--split", "1",
                            "--subset", "test", "--image", "32", "--workers", "1"];
        var (code, output) = CliProcess.Run([.. prepare, "--cache", dir.File("one"), "--json", dir.File("one.json")]);
        Assert.True(code == 0, "one process:\n" + output);
        (code, output) = CliProcess.Run([.. prepare, "--cache", dir.File("two"), "--json", dir.File("two.json")], ranks: 2);
        Assert.True(code == 0, "two ranks:\n" + output);

        var (one, two) = (JsonNode.Parse(File.ReadAllText(dir.File("one.json")))!, JsonNode.Parse(File.ReadAllText(dir.File("two.json")))!);
        Assert.Equal(24, (int)one["videos"]!);
        foreach (var field in new[] { "videos", "decoded", "reused", "cache_bytes" }) Assert.Equal((long)one[field]!, (long)two[field]!);
        Assert.Equal(one["failed"]!.ToJsonString(), two["failed"]!.ToJsonString());
        static string[] Files(string cache) => Directory.GetFiles(cache, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(cache, f)).Order().ToArray();
        Assert.Equal(Files(dir.File("one")), Files(dir.File("two")));
        foreach (var file in Files(dir.File("one")))
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("one"), file)), File.ReadAllBytes(Path.Combine(dir.File("two"), file)));
    }
}
