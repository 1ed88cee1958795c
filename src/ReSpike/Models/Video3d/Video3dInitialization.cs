using TorchSharp;
using TorchSharp.Modules;

namespace ReSpike.Models.Video3d;

/// <summary>
/// The fresh-weight scheme torchvision's video ResNets and mmaction2's C3D share: Kaiming-normal (fan_out, ReLU)
/// 3D convolutions with zero bias, BatchNorm weight 1 / bias 0 with reset statistics, linear layers normal(0, std)
/// with zero bias (std per layer: 0.01 for torchvision's fc, 0.005 for C3D's fc6/fc7, 0.01 for its classifier).
/// </summary>
public static class Video3dInitialization
{
    /// <param name="linearStd">The std of each linear layer's weights, given its module path.</param>
    public static void Apply(torch.nn.Module root, Func<string, double> linearStd)
    {
        using var _ = torch.no_grad();
        foreach (var (name, module) in root.named_modules())
        {
            switch (module)
            {
                case Conv3d conv:
                    torch.nn.init.kaiming_normal_(conv.weight, mode: torch.nn.init.FanInOut.FanOut, nonlinearity: torch.nn.init.NonlinearityType.ReLU);
                    conv.bias?.zero_();
                    break;
                case BatchNorm3d bn:
                    bn.weight?.fill_(1.0);
                    bn.bias?.zero_();
                    bn.running_mean?.zero_();
                    bn.running_var?.fill_(1.0);
                    bn.num_batches_tracked?.zero_();
                    break;
                case Linear linear:
                    torch.nn.init.normal_(linear.weight, 0, linearStd(name));
                    linear.bias?.zero_();
                    break;
            }
        }
    }
}
