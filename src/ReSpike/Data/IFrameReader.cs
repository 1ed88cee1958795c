using ReSpike.Video;

namespace ReSpike.Data;

/// <summary>Where a dataset's frames come from: ffmpeg decoding, the prepared frame cache, or the synthetic generator.</summary>
public interface IFrameReader
{
    /// <summary>Frames the video really has (decoded, not the header's); throws VideoDecodeException for a broken video.</summary>
    int FrameCount(VideoEntry video);

    /// <summary>The frames at the given indices (repeats allowed), packed RGB.</summary>
    FrameStack Read(VideoEntry video, IReadOnlyList<int> indices);
}
