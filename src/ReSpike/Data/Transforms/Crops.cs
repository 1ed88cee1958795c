using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>Deterministic test-time crops of a resized clip: one centre crop, or three along the longer side (mmaction2's ThreeCrop).</summary>
public static class Crops
{
    public static Tensor Center(Tensor clip, int size)
    {
        int height = (int)clip.shape[^2], width = (int)clip.shape[^1];
        CheckFits(height, width, size);
        // torchvision CenterCrop rounds the offset: int(round((H - size) / 2))
        int top = (int)Math.Round((height - size) / 2.0, MidpointRounding.ToEven), left = (int)Math.Round((width - size) / 2.0, MidpointRounding.ToEven);
        return clip[.., .., top..(top + size), left..(left + size)].contiguous();
    }

    /// <summary>Start, centre and end crops along the longer side (for a square clip: three identical centre crops).</summary>
    public static Tensor[] Three(Tensor clip, int size)
    {
        int height = (int)clip.shape[^2], width = (int)clip.shape[^1];
        CheckFits(height, width, size);
        var offsets = new[] { 0, (Math.Max(height, width) - size) / 2, Math.Max(height, width) - size };
        return offsets.Select(o => width >= height
                ? clip[.., .., ((height - size) / 2)..((height - size) / 2 + size), o..(o + size)].contiguous()
                : clip[.., .., o..(o + size), ((width - size) / 2)..((width - size) / 2 + size)].contiguous())
            .ToArray();
    }

    static void CheckFits(int height, int width, int size)
    {
        if (height < size || width < size) throw new ArgumentException($"cannot crop {size}x{size} from a {width}x{height} clip");
    }
}
