using ReSpike.Video;

namespace ReSpike.Data.Synthetic;

/// <summary>Renders one synthetic video from its label and a seed: same inputs, same bytes, on any machine.</summary>
public static class SyntheticVideo
{
    public static FrameStack Render(int label, int seed, int frames, int size)
    {
        var rng = new Random(seed);
        var rgb = new byte[frames * size * size * 3];

        // static background texture: a random grey level plus fixed per-pixel noise (it cancels in residuals)
        var background = new byte[size * size * 3];
        int grey = rng.Next(40, 110);
        for (int p = 0; p < size * size; p++)
        {
            int noise = rng.Next(-18, 19);
            for (int c = 0; c < 3; c++) background[p * 3 + c] = (byte)Math.Clamp(grey + noise + rng.Next(-4, 5), 0, 255);
        }

        int objectSize = Math.Max(4, size / 6);
        double speed = size / 32.0 * (1.5 + rng.NextDouble() * 1.5); // 1.5-3 px/frame at 32 px
        var (dx, dy) = SyntheticClasses.IsMotionOnly(label) ? SyntheticClasses.Direction(label) : SyntheticClasses.Direction(rng.Next(4));
        double x0 = rng.NextDouble() * size, y0 = rng.NextDouble() * size;
        var color = label switch
        {
            4 => ((byte)rng.Next(190, 240), (byte)rng.Next(20, 60), (byte)rng.Next(20, 60)),
            5 => ((byte)rng.Next(20, 60), (byte)rng.Next(190, 240), (byte)rng.Next(20, 60)),
            _ => ((byte)rng.Next(215, 250), (byte)rng.Next(215, 250), (byte)rng.Next(215, 250)),
        };

        for (int t = 0; t < frames; t++)
        {
            var frame = rgb.AsSpan(t * size * size * 3, size * size * 3);
            background.CopyTo(frame);
            int px = (int)Math.Floor(x0 + dx * speed * t), py = (int)Math.Floor(y0 + dy * speed * t);
            for (int oy = 0; oy < objectSize; oy++)
            for (int ox = 0; ox < objectSize; ox++)
            {
                if (!Covers(label, ox, oy, objectSize)) continue;
                int x = Mod(px + ox, size), y = Mod(py + oy, size);
                int at = (y * size + x) * 3;
                frame[at] = color.Item1;
                frame[at + 1] = color.Item2;
                frame[at + 2] = color.Item3;
            }
        }
        return new FrameStack(frames, size, size, rgb);
    }

    static bool Covers(int label, int ox, int oy, int n)
    {
        double c = (n - 1) / 2.0, rx = ox - c, ry = oy - c;
        return label switch
        {
            4 => rx * rx + ry * ry <= c * c + 0.5,                                  // disc
            5 => Math.Abs(rx) <= n / 6.0 + 0.01 || Math.Abs(ry) <= n / 6.0 + 0.01, // cross
            _ => true,                                                              // square
        };
    }

    static int Mod(int a, int m) => ((a % m) + m) % m;
}
