using System.Text.Json;
using ReSpike.Tests.IO;
using ReSpike.Video;

namespace ReSpike.Tests.Cli;

/// <summary>`respike env` reports the ffmpeg the decoder would run, RESPIKE_FFMPEG_DIR included.</summary>
public class EnvCliTests
{
    [Fact]
    public void Env_reports_the_ffmpeg_in_RESPIKE_FFMPEG_DIR_the_decoder_would_run()
    {
        using var dir = new TempDirectory();
        Script(dir.File("ffmpeg"), "echo 'ffmpeg version 9.9-fake Copyright (c) nobody'");
        Script(dir.File("ffprobe"), "exit 0");
        using var _ = SetVariable(Ffmpeg.DirectoryVariable, dir.Path);

        var (code, output, err) = CliHarness.Run("env", "--json", dir.File("env.json"));

        Assert.True(code == 0, err);
        // the decoder and env agree on the tool, and env ran it for its version line
        Assert.Equal(dir.File("ffmpeg"), Ffmpeg.FfmpegExecutable);
        Assert.Equal(dir.File("ffprobe"), Ffmpeg.FfprobeExecutable);
        Assert.Contains("ffmpeg version 9.9-fake", output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("env.json")));
        Assert.Equal(dir.File("ffmpeg"), json.RootElement.GetProperty("ffmpeg_path").GetString());
        Assert.Equal("ffmpeg version 9.9-fake", json.RootElement.GetProperty("ffmpeg_version").GetString());
    }

    [Fact]
    public void Env_says_ffmpeg_is_missing_from_an_empty_RESPIKE_FFMPEG_DIR_even_when_PATH_has_one()
    {
        using var dir = new TempDirectory();
        using var _ = SetVariable(Ffmpeg.DirectoryVariable, dir.Path);

        var (code, output, err) = CliHarness.Run("env", "--json", dir.File("env.json"));

        Assert.True(code == 0, err);
        Assert.False(Ffmpeg.IsAvailable);
        Assert.Contains("not found", output);
        Assert.Contains(Ffmpeg.DirectoryVariable, output);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("env.json")));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ffmpeg_path").ValueKind);
        Assert.Contains($"in {Ffmpeg.DirectoryVariable}={dir.Path}", Assert.Throws<FfmpegNotFoundException>(() => Ffmpeg.FfmpegExecutable).Message);
    }

    [Fact]
    public void Unsetting_RESPIKE_FFMPEG_DIR_goes_back_to_PATH()
    {
        string? onPath = Runtime.ExternalTool.Find("ffmpeg");
        using (var dir = new TempDirectory())
        using (SetVariable(Ffmpeg.DirectoryVariable, dir.Path))
            Assert.Null(Ffmpeg.FfmpegOrNull);
        using (SetVariable(Ffmpeg.DirectoryVariable, null))
            Assert.Equal(onPath, Ffmpeg.FfmpegOrNull);
    }

    static void Script(string path, string body)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the fake ffmpeg is a shell script");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    static IDisposable SetVariable(string name, string? value)
    {
        var previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        return new Restore(() => Environment.SetEnvironmentVariable(name, previous));
    }

    sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
