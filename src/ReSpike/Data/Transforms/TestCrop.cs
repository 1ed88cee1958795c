namespace ReSpike.Data.Transforms;

/// <summary>
/// The test transform before the centre (or three) crop of S×S: the shorter side is resized to S
/// (the reference's UCF-101/HMDB-51 Resize(S)) or to 8/7·S (the reference's Kinetics-400
/// GroupScale(256) then GroupCenterCrop(224), so a margin is cut off).
/// </summary>
public enum TestCrop
{
    Centre,
    ScaledCentre,
}

/// <summary>Names of <see cref="TestCrop"/> and the shorter side each resizes to.</summary>
public static class TestCrops
{
    public static IReadOnlyList<string> Names { get; } = ["centre", "scaled-centre"];

    public static string Name(this TestCrop crop) => crop switch
    {
        TestCrop.Centre => "centre",
        TestCrop.ScaledCentre => "scaled-centre",
        _ => throw new ArgumentOutOfRangeException(nameof(crop), crop, null),
    };

    public static TestCrop Parse(string text) => text switch
    {
        "centre" or "center" => TestCrop.Centre,
        "scaled-centre" or "scaled-center" => TestCrop.ScaledCentre,
        _ => throw new ArgumentException($"--test-crop: unknown crop '{text}' (use centre or scaled-centre)"),
    };

    /// <summary>
    /// The shorter side a test clip is resized to before the S×S crop: S, or 8/7·S rounded up
    /// (256 at S = 224, 128 at 112). This is also the smallest decode size that serves the crop
    /// without upscaling.
    /// </summary>
    public static int ShortSide(this TestCrop crop, int imageSize) => crop switch
    {
        TestCrop.Centre => imageSize,
        TestCrop.ScaledCentre => (8 * imageSize + 6) / 7,
        _ => throw new ArgumentOutOfRangeException(nameof(crop), crop, null),
    };
}
