using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// Takes a custom autograd Function's saved tensors in backward and lets go of them. TorchSharp's function nodes keep
/// what forward saved until the whole graph is destroyed (after the optimizer step, or later for a neuron's last
/// membrane), where libtorch's own nodes release theirs as soon as backward has used them; every spiking layer's input
/// would otherwise stay alive through the rest of backward. Our functions back-propagate once per graph (nothing here
/// uses retain_graph); a second pass stops with a message saying so (TorchSharp cannot carry an exception out of a
/// backward callback, so the process ends with it).
/// </summary>
internal static class SavedTensors
{
    const string ReleasedKey = "respike.saved-tensors-released";

    /// <summary>The saved tensors (handles the caller disposes); the context's own references are released.</summary>
    public static List<Tensor> TakeOnce(torch.autograd.AutogradContext ctx, string function)
    {
        if (ctx.get_data(ReleasedKey) is true)
            throw new InvalidOperationException($"{function}: backward ran twice through the same graph; its saved tensors were released after the first pass (retain_graph is not supported)");
        var saved = ctx.get_saved_variables();
        ctx.save_data(ReleasedKey, true);
        ctx.Dispose();   // disposes the native saved variables; the unpacked handles above keep the tensors until the caller is done
        return saved;
    }
}
