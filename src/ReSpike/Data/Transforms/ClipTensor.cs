using ReSpike.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>Packed RGB frames to a float tensor [T, 3, H, W] holding 0..255 (normalisation comes last).</summary>
public static class ClipTensor
{
    public static Tensor FromFrames(FrameStack frames)
    {
        using var bytes = torch.tensor(frames.Rgb, [frames.Count, frames.Height, frames.Width, 3], ScalarType.Byte);
        using var chw = bytes.permute(0, 3, 1, 2);
        return chw.to_type(ScalarType.Float32);
    }
}
