namespace ReSpike.Video;

/// <summary>One file's decode check: header facts plus the frame count that actually decodes.</summary>
public sealed record ProbeResult(string File, bool Ok, int Frames, int Width, int Height, double Fps, string? Codec, long? HeaderFrames, string? Error)
{
    /// <summary>Probes and fully decodes one file; never throws for a bad video (the error is in the result).</summary>
    public static ProbeResult Check(string path, TimeSpan? timeout = null)
    {
        VideoStreamInfo? info = null;
        try
        {
            info = VideoProbe.Inspect(path, timeout);
            int frames = VideoDecoder.CountFrames(path, timeout);
            if (frames == 0) return Failed(path, info, "no frames could be decoded");
            return new ProbeResult(path, true, frames, info.Width, info.Height, info.FramesPerSecond, info.Codec, info.HeaderFrameCount, null);
        }
        catch (VideoDecodeException e)
        {
            return Failed(path, info, e.Reason);
        }
    }

    /// <summary>Checks every file in parallel (one worker per core); results in the order of <paramref name="paths"/>.</summary>
    public static ProbeResult[] CheckAll(IReadOnlyList<string> paths, TimeSpan? timeout = null, Action<int, int>? progress = null)
    {
        var results = new ProbeResult[paths.Count];
        Data.ParallelVideos.Run(paths.Count, i =>
        {
            results[i] = Check(paths[i], timeout);
            return null;   // a failed file is a result here, not a video left out
        }, progress: progress);
        return results;
    }

    static ProbeResult Failed(string path, VideoStreamInfo? info, string error) =>
        new(path, false, 0, info?.Width ?? 0, info?.Height ?? 0, info?.FramesPerSecond ?? 0, info?.Codec, info?.HeaderFrameCount, error);
}
