using System.Reflection;
using System.Runtime.InteropServices;
using ReSpike.Video;
using TorchSharp;

namespace ReSpike.Runtime;

/// <summary>What this process runs on: versions, threads, and whether ffmpeg is usable.</summary>
public sealed record EnvironmentReport(
    string ReSpikeVersion,
    string TorchSharpVersion,
    string LibTorchVersion,
    string DotNetVersion,
    string OperatingSystem,
    int ProcessorCount,
    int TorchThreads,
    int TorchInteropThreads,
    string? FfmpegPath,
    string? FfmpegVersion)
{
    /// <summary>Collects the report; touching torch here also proves the native library loads.</summary>
    public static EnvironmentReport Collect()
    {
        string torchSharp = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
        var ffmpeg = Ffmpeg.FfmpegOrNull;   // the one the decoder runs: RESPIKE_FFMPEG_DIR, else PATH
        string? ffmpegVersion = null;
        if (ffmpeg != null)
        {
            try
            {
                var (code, stdout, _) = ExternalTool.Run(ffmpeg, ["-hide_banner", "-version"], TimeSpan.FromSeconds(10));
                ffmpegVersion = code == 0 ? stdout.Split('\n')[0].Split(" Copyright")[0].Trim() : $"present but 'ffmpeg -version' exited with {code}";
            }
            catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                ffmpegVersion = "present but not runnable: " + e.Message;
            }
        }
        return new EnvironmentReport(
            ReSpikeVersion: typeof(EnvironmentReport).Assembly.GetName().Version?.ToString() ?? "unknown",
            TorchSharpVersion: torchSharp.Split('+')[0],
            LibTorchVersion: ReadLibTorchVersion(),
            DotNetVersion: RuntimeInformation.FrameworkDescription,
            OperatingSystem: RuntimeInformation.OSDescription,
            ProcessorCount: Environment.ProcessorCount,
            TorchThreads: torch.get_num_threads(),
            TorchInteropThreads: torch.get_num_interop_threads(),
            FfmpegPath: ffmpeg,
            FfmpegVersion: ffmpegVersion);
    }

    /// <summary>libtorch's version as the native library reports it (torch.__version__).</summary>
    static string ReadLibTorchVersion()
    {
        try { return torch.__version__; }
        catch (Exception e) when (e is not OutOfMemoryException) { return "unavailable: " + e.Message; }
    }

    /// <summary>How to get ffmpeg, naming RESPIKE_FFMPEG_DIR when it is set (it replaces PATH).</summary>
    public static string FfmpegInstallHint => (Environment.GetEnvironmentVariable(Ffmpeg.DirectoryVariable) is { Length: > 0 } dir
        ? $"looked in {Ffmpeg.DirectoryVariable}={dir}, which replaces PATH; " : "") +
        "install it with: sudo apt-get install -y ffmpeg (Debian/Ubuntu)";
}
