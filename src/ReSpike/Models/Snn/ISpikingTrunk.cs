using static TorchSharp.torch;

namespace ReSpike.Models.Snn;

/// <summary>
/// A four-stage spiking ResNet the <see cref="ReSpikeNet"/> SNN branch runs stage by stage (so fusion can sit between
/// stages). Multi-step tensors [T, N, C, H, W]; stage outputs have <see cref="MSResNet.Widths"/> channels at the ANN's strides.
/// </summary>
public interface ISpikingTrunk
{
    /// <summary>Stem: [T, N, 3, H, W] -> [T, N, 64, H/2, W/2].</summary>
    Tensor Stem(Tensor x);

    /// <summary>Stage <paramref name="index"/> (0..3) = layer1..layer4.</summary>
    Tensor Stage(int index, Tensor x);
}
