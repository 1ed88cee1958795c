namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// The registered SpikingResformers: the six official variants (models/spikingresformer.py at 3f75127; their
/// state dicts load by name) and our small configuration for 28x28 images (see docs/spikingresformer.md).
/// </summary>
public static class SpikingResformerVariants
{
    static readonly int[] PairsPerStage = [1, 2, 3];
    static readonly int[] Patches = [4, 2, 1];

    /// <summary>Registry name -> architecture.</summary>
    public static IReadOnlyDictionary<string, SpikingResformerSpec> Specs { get; } = new Dictionary<string, SpikingResformerSpec>
    {
        ["spikingresformer-ti"] = new([64, 192, 384], [1, 3, 6], Patches, PairsPerStage, SrfStem.ImageNet, 4, 64, SrfNeuron.Lif),
        ["spikingresformer-s"] = new([64, 256, 512], [1, 4, 8], Patches, PairsPerStage, SrfStem.ImageNet, 4, 64, SrfNeuron.Lif),
        ["spikingresformer-m"] = new([64, 384, 768], [1, 6, 12], Patches, PairsPerStage, SrfStem.ImageNet, 4, 64, SrfNeuron.Lif),
        ["spikingresformer-l"] = new([128, 512, 1024], [2, 8, 16], Patches, PairsPerStage, SrfStem.ImageNet, 4, 64, SrfNeuron.Lif),
        ["spikingresformer-dvsg"] = new([32, 96, 192], [1, 3, 6], Patches, PairsPerStage, SrfStem.Conv3x3, 1, 32, SrfNeuron.Plif),
        ["spikingresformer-cifar"] = new([64, 192, 384], [1, 3, 6], Patches, PairsPerStage, SrfStem.Conv3x3, 1, 64, SrfNeuron.Lif),
        // ours, for 28x28 images served at 32 px on 2 shared CPU cores (docs/spikingresformer.md): the ImageNet stem
        // takes 32 px to 8x8, so stages run at 8/4/2 px; patches 2/1/1 keep 16/16/4 tokens; widths 32/64/128, one
        // DSSA + GWFFN pair per stage, GWFFN groups of 32 channels (650k parameters with 10 classes)
        ["spikingresformer-fmnist"] = new([32, 64, 128], [1, 2, 4], [2, 1, 1], [1, 1, 1], SrfStem.ImageNet, 4, 32, SrfNeuron.Lif),
    };

    static readonly Dictionary<string, string> Descriptions = new()
    {
        ["spikingresformer-ti"] = "SpikingResformer-Ti (official ImageNet variant, 7x7 stem, widths 64/192/384)",
        ["spikingresformer-s"] = "SpikingResformer-S (official ImageNet variant, widths 64/256/512)",
        ["spikingresformer-m"] = "SpikingResformer-M (official ImageNet variant, widths 64/384/768)",
        ["spikingresformer-l"] = "SpikingResformer-L (official ImageNet variant, widths 128/512/1024)",
        ["spikingresformer-dvsg"] = "SpikingResformer for DVS128 Gesture (official: 3x3 stem, widths 32/96/192, PLIF)",
        ["spikingresformer-cifar"] = "SpikingResformer for CIFAR (official: 3x3 stem, widths 64/192/384)",
        ["spikingresformer-fmnist"] = "SpikingResformer sized for 28x28 images at 32 px (ours: 7x7/2 stem + max pool, widths 32/64/128, patches 2/1/1, 1 block per stage)",
    };

    /// <summary>Whether <paramref name="model"/> names a registered SpikingResformer.</summary>
    public static bool Contains(string model) => Specs.ContainsKey(ModelNames.Canonical(model));

    /// <summary>The registry entries, one per variant.</summary>
    public static IReadOnlyList<ModelEntry> Registrations { get; } = Specs
        .Select(pair => new ModelEntry(pair.Key, Descriptions[pair.Key], ModelFamily.Snn, "image repeated over T (direct encoding) or T frames",
                                       "0.9 pJ x SOPs (paper; stem, classifier excluded) or + 4.6 pJ x stem/classifier MACs (ReSpike)", config => new SpikingResformerNet(config, pair.Value)))
        .ToList();
}
