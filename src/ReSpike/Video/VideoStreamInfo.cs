namespace ReSpike.Video;

/// <summary>What the container says about the first video stream (header values; frame counts may disagree with decoding). Width and Height are as displayed, after any rotation the file asks for.</summary>
public sealed record VideoStreamInfo(
    int Width,
    int Height,
    double FramesPerSecond,
    string FrameRateText,
    string Codec,
    long? HeaderFrameCount,
    double? DurationSeconds);
