namespace ReSpike.Models.SpikingResformer;

/// <summary>The stem (the official "prologue") before the first stage.</summary>
public enum SrfStem
{
    /// <summary>7x7/2 conv + BN + 3x3/2 max pool: the ImageNet variants (stage 1 at 1/4 resolution).</summary>
    ImageNet,
    /// <summary>3x3 conv + BN with <see cref="SpikingResformerSpec.StemStride"/> (1 in the official dvsg/cifar variants), no pooling.</summary>
    Conv3x3,
}

/// <summary>The spiking neuron used throughout the network.</summary>
public enum SrfNeuron
{
    /// <summary>LIF, tau 2, v_th 1, hard reset to 0, ATan(2), detached reset.</summary>
    Lif,
    /// <summary>Parametric LIF, initial tau 2 (the dvsg variant).</summary>
    Plif,
}

/// <summary>
/// The architecture of one SpikingResformer: three stages, each (after the first) opened by a 3x3/2 downsampling
/// conv, then <see cref="Blocks"/> pairs of DSSA + GWFFN. The official variants and our small configurations are
/// listed in <see cref="SpikingResformerVariants"/>.
/// </summary>
/// <param name="Widths">Channels per stage.</param>
/// <param name="Heads">DSSA heads per stage.</param>
/// <param name="PatchSizes">DSSA patch (the W conv's kernel and stride) per stage.</param>
/// <param name="Blocks">DSSA + GWFFN pairs per stage.</param>
/// <param name="Stem">Stem kind.</param>
/// <param name="StemStride">Stride of the 3x3 stem (ignored by the ImageNet stem, which reduces by 4).</param>
/// <param name="GroupSize">Channels per group of the GWFFN's grouped 3x3 conv.</param>
/// <param name="Neuron">LIF or PLIF.</param>
public sealed record SpikingResformerSpec(int[] Widths, int[] Heads, int[] PatchSizes, int[] Blocks, SrfStem Stem,
                                          int StemStride, int GroupSize, SrfNeuron Neuron)
{
    /// <summary>Expansion of the GWFFN's hidden width.</summary>
    public const int FfnRatio = 4;

    /// <summary>Number of stages (three in every published variant).</summary>
    public int Stages => Widths.Length;

    /// <summary>How much the stem reduces the side of the image.</summary>
    public int StemReduction => Stem == SrfStem.ImageNet ? 4 : StemStride;

    /// <summary>
    /// The side of stage <paramref name="stage"/>'s feature map for a square <paramref name="imageSize"/> input, by
    /// the official integer divisions (stem reduction, then halving per later stage). DSSA scales its second matmul
    /// by the token count derived from it.
    /// </summary>
    public int StageSide(int imageSize, int stage)
    {
        int side = imageSize / StemReduction;
        for (int i = 1; i <= stage; i++) side /= 2;
        return side;
    }

    /// <summary>Checks the lists agree and every width splits into heads and GWFFN groups.</summary>
    public SpikingResformerSpec Validate()
    {
        int n = Widths.Length;
        if (n == 0 || Heads.Length != n || PatchSizes.Length != n || Blocks.Length != n)
            throw new ArgumentException($"SpikingResformer spec: widths, heads, patch sizes and blocks need one entry per stage ({Widths.Length}, {Heads.Length}, {PatchSizes.Length}, {Blocks.Length})");
        for (int i = 0; i < n; i++)
        {
            if (Widths[i] % Heads[i] != 0) throw new ArgumentException($"SpikingResformer spec: stage {i + 1} width {Widths[i]} does not split into {Heads[i]} heads");
            if (Widths[i] * FfnRatio % GroupSize != 0) throw new ArgumentException($"SpikingResformer spec: stage {i + 1} hidden width {Widths[i] * FfnRatio} does not split into groups of {GroupSize}");
        }
        if (StemStride < 1) throw new ArgumentException($"SpikingResformer spec: stem stride must be >= 1, got {StemStride}");
        return this;
    }
}
