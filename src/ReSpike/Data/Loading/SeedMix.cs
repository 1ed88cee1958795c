namespace ReSpike.Data.Loading;

/// <summary>Derives independent, reproducible seeds from a tuple (SplitMix64 finaliser), so order and augmentation depend only on (seed, epoch, position).</summary>
public static class SeedMix
{
    public static int Of(params int[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            h ^= (ulong)(uint)p + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
            h ^= h >> 31;
        }
        return (int)(h & int.MaxValue);
    }
}
