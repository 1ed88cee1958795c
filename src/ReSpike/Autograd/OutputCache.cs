using System.Collections.Concurrent;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// Frees the output-sized tensors TorchSharp (0.107) allocates for every custom-function node when the node is built
/// (empty_like of each output, kept for the node's lifetime so that it can hand backward zeros for an output nobody
/// used). Functions that call set_materialize_grads(false) never read them, yet they hold as much memory as the outputs
/// themselves (untouched pages with a fresh mapping, resident ones with a caching allocator). Reached by reflection:
/// TorchSharp has no public handle on them; on a TorchSharp without these fields nothing is freed
/// (<see cref="Release"/> says so, and a test pins it).
/// </summary>
internal static class OutputCache
{
    static readonly FieldInfo? NodeField = typeof(torch.autograd.AutogradContext).GetField("_node", BindingFlags.Instance | BindingFlags.NonPublic);

    // one node type per Function (Node<T>): looked up once each, not on every call of a training step
    static readonly ConcurrentDictionary<Type, FieldInfo?> CacheFields = new();

    static FieldInfo? CacheField(Type nodeType) =>
        CacheFields.GetOrAdd(nodeType, t => t.GetField("_outputCache", BindingFlags.Instance | BindingFlags.NonPublic));

    /// <summary>
    /// Disposes the cached tensors of the node <paramref name="ctx"/> belongs to (call after apply returned; only for
    /// functions that set_materialize_grads(false)). Returns how many were freed, or -1 when TorchSharp's layout is not the known one.
    /// </summary>
    public static int Release(torch.autograd.AutogradContext ctx)
    {
        var node = NodeField?.GetValue(ctx);
        if (node is null || CacheField(node.GetType())?.GetValue(node) is not List<Tensor> cache) return -1;
        int freed = 0;
        for (int i = 0; i < cache.Count; i++)
        {
            if (cache[i] is not { } t) continue;
            t.Dispose();
            cache[i] = null!;   // the node checks for null before materialising a zero gradient
            freed++;
        }
        return freed;
    }
}
