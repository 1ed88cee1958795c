using ReSpike.Video;

namespace ReSpike.Data;

/// <summary>Decodes each request with ffmpeg (no cache): right for predicting a few files, slow for training epochs.</summary>
public sealed class DecodingFrameReader(DecodeOptions options) : IFrameReader
{
    public DecodeOptions Options { get; } = options;

    /// <summary>Frames a decode with these options gives (fps resampling and the frame limit change the count).</summary>
    public int FrameCount(VideoEntry video) => video.FrameCount ?? VideoDecoder.CountFrames(video.Path, Options);

    public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices)
    {
        var frames = VideoDecoder.Decode(video.Path, Options);
        // a listed count (rawframes annotation) can exceed what decodes: a broken video, not a crash
        foreach (var i in indices)
            if ((uint)i >= (uint)frames.Count)
                throw new VideoDecodeException(video.Path, $"the clip needs frame {i} but only {frames.Count} frames decode");
        return frames.Select(indices);
    }
}
