using ReSpike.Video;

namespace ReSpike.Data;

/// <summary>Decodes each request with ffmpeg (no cache): right for predicting a few files, slow for training epochs.</summary>
public sealed class DecodingFrameReader(DecodeOptions options) : IFrameReader
{
    public DecodeOptions Options { get; } = options;

    public int FrameCount(VideoEntry video) => video.FrameCount ?? VideoDecoder.CountFrames(video.Path, Options.Timeout);

    public FrameStack Read(VideoEntry video, IReadOnlyList<int> indices) => VideoDecoder.Decode(video.Path, Options).Select(indices);
}
