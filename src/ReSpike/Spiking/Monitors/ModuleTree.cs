using static TorchSharp.torch;

namespace ReSpike.Spiking.Monitors;

static class ModuleTree
{
    /// <summary>
    /// The root (named after its module name) and every submodule with its dotted path, each module once:
    /// a module registered under two names (e.g. SpikingShortcut's "0" and its field "pool") keeps the first,
    /// so hooks never fire twice for one call.
    /// </summary>
    public static IEnumerable<(string Name, nn.Module Module)> Named(nn.Module root)
    {
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance) { root };
        yield return (root.GetName(), root);
        foreach (var (name, module) in root.named_modules())
            if (seen.Add(module)) yield return (name, module);
    }
}
