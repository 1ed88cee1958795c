using TorchSharp;
using TorchSharp.Modules;

namespace ReSpike.Models.Layers;

/// <summary>
/// PyTorch's defaults for normalisation layers: weight 1, bias 0, running mean 0, running var 1.
/// TorchSharp 0.107 does not always initialise GroupNorm/LayerNorm affine parameters (they can hold
/// whatever memory they were allocated in, NaN included), so every model applies this once after building.
/// </summary>
public static class NormInitialization
{
    public static void Apply(torch.nn.Module root)
    {
        using var _ = torch.no_grad();
        foreach (var module in root.modules())
        {
            switch (module)
            {
                case GroupNorm gn: Reset(gn.weight, gn.bias); break;
                case LayerNorm ln: Reset(ln.weight, ln.bias); break;
                case BatchNorm2d bn:
                    Reset(bn.weight, bn.bias);
                    bn.running_mean?.zero_();
                    bn.running_var?.fill_(1.0);
                    bn.num_batches_tracked?.zero_();
                    break;
            }
        }
    }

    static void Reset(torch.Tensor? weight, torch.Tensor? bias)
    {
        weight?.fill_(1.0);
        bias?.zero_();
    }
}
