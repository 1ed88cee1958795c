using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.SpikingResformer;

/// <summary>
/// DSSA's matrix product whose right operand is spikes (the official SpikingMatmul('r'), also parameter-free and
/// named <c>matmul1</c>/<c>matmul2</c>): a module so that op counters can hook it. left [.., n, k] @ right [.., k, m].
/// </summary>
public sealed class SpikeRightMatmul() : nn.Module<Tensor, Tensor, Tensor>(nameof(SpikeRightMatmul))
{
    public override Tensor forward(Tensor left, Tensor right) => torch.matmul(left, right);
}
