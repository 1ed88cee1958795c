using TorchSharp;
using static TorchSharp.torch;
using ReSpike.IO;

namespace ReSpike.Training.Optimizers;

/// <summary>Trainable parameters by name, plus the state-restoring helper the optimizers share.</summary>
public static class NamedParameters
{
    public static IReadOnlyList<(string Name, Tensor Parameter)> Trainable(nn.Module module) =>
        module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter)).ToList();

    /// <summary>
    /// Drops every gradient (PyTorch's zero_grad(set_to_none=True)): the next backward allocates them afresh, so between
    /// steps, and through the next forward where training memory peaks, no gradient memory is held.
    /// </summary>
    public static void ReleaseGradients(IEnumerable<(string Name, Tensor Parameter)> parameters)
    {
        foreach (var (_, p) in parameters)
        {
            using var grad = p.grad;
            if (grad is not null) p.grad = null;
        }
    }

    /// <summary>Copies saved tensors into freshly allocated state, by name; every mismatch is reported.</summary>
    public static void Restore(Dictionary<string, Tensor> target, IReadOnlyDictionary<string, Tensor> saved, string optimizer)
    {
        var problems = new List<string>();
        foreach (var name in saved.Keys.Where(k => !target.ContainsKey(k))) problems.Add($"unexpected '{name}'");
        foreach (var (name, tensor) in target)
        {
            if (!saved.TryGetValue(name, out var source)) { problems.Add($"missing '{name}'"); continue; }
            if (!source.shape.SequenceEqual(tensor.shape)) problems.Add($"'{name}' has shape {ShapeText.Format(source.shape)}, expected {ShapeText.Format(tensor.shape)}");
        }
        if (problems.Count > 0) throw new InvalidDataException($"{optimizer} state does not fit this model: {string.Join("; ", problems.Take(5))}");
        using var _ = torch.no_grad();
        foreach (var (name, tensor) in target) tensor.copy_(saved[name]);
    }
}
