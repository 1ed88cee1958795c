namespace ReSpike.Video;

/// <summary>
/// Decoded frames as packed RGB bytes, frame-major: frame t, row y, column x, channel c at
/// ((t*Height + y)*Width + x)*3 + c. Uint8 keeps a decoded video 4x smaller than floats.
/// </summary>
public sealed class FrameStack
{
    public FrameStack(int count, int height, int width, byte[] rgb)
    {
        if (count < 0 || height <= 0 || width <= 0) throw new ArgumentException($"bad frame stack shape {count}x{height}x{width}");
        if (rgb.LongLength != (long)count * height * width * 3)
            throw new ArgumentException($"frame stack of {count}x{height}x{width}x3 needs {(long)count * height * width * 3} bytes, got {rgb.LongLength}");
        Count = count;
        Height = height;
        Width = width;
        Rgb = rgb;
    }

    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public byte[] Rgb { get; }
    public int FrameBytes => Height * Width * 3;

    public ReadOnlySpan<byte> Frame(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"frame index outside 0..{Count - 1}");
        return Rgb.AsSpan(index * FrameBytes, FrameBytes);
    }

    /// <summary>The frames at the given indices (repeats allowed), as a new stack.</summary>
    public FrameStack Select(IReadOnlyList<int> indices)
    {
        var bytes = new byte[(long)indices.Count * FrameBytes];
        for (int i = 0; i < indices.Count; i++) Frame(indices[i]).CopyTo(bytes.AsSpan(i * FrameBytes, FrameBytes));
        return new FrameStack(indices.Count, Height, Width, bytes);
    }
}
