using ReSpike.Autograd;
using static TorchSharp.torch;

namespace ReSpike.Models.Fusion;

/// <summary>
/// One fusion of a spiking stage with the key frame's ANN stage of the same resolution, as every hybrid runs it: the
/// spiking features of all timesteps query the ANN tokens on the stage's fusion grid, and the result goes back to the
/// stage's resolution. Stateless: the hybrids own the blocks and grids under their state-dict names.
/// </summary>
public static class StageFusion
{
    /// <summary>y [T, N, C, h, w] fused with the key frame's ANN features [N, Ca, h, w] by <paramref name="block"/> on <paramref name="grid"/>.</summary>
    /// <param name="recompute">Run the block again in backward instead of keeping its activations (same gradients, less memory).</param>
    public static Tensor Fuse(SpatialTransformer block, FusionGrid grid, Tensor y, Tensor annFeatures, bool recompute)
    {
        long steps = y.shape[0], n = y.shape[1];
        var context = grid.Context(annFeatures);
        var x = grid.Down(y.flatten(0, 1));
        bool again = recompute && is_grad_enabled() && (x.requires_grad || context.requires_grad);
        var attended = again ? RecomputeInBackward.Run(block.call, x, context) : block.call(x, context);
        return grid.Up(attended).unflatten(0, [steps, n]);
    }
}
