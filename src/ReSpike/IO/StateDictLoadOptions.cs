namespace ReSpike.IO;

/// <summary>How <see cref="StateDict.Load(TorchSharp.torch.nn.Module, IReadOnlyDictionary{string, TorchSharp.torch.Tensor}, StateDictLoadOptions?)"/> matches file tensors to module tensors.</summary>
public sealed record StateDictLoadOptions
{
    /// <summary>File name -> module name (e.g. PyTorch naming -> ours); null skips the tensor. Identity when unset.</summary>
    public Func<string, string?>? MapName { get; init; }

    /// <summary>
    /// Names that may be absent on either side without an error, e.g. torchvision's "fc.weight"/"fc.bias" when
    /// loading a backbone without its classifier. Matched against module names and against file names (before and after mapping).
    /// </summary>
    public IReadOnlySet<string> Optional { get; init; } = new HashSet<string>();

    /// <summary>
    /// Strict (the default) fails on any missing or unexpected key; non-strict loads what matches, as PyTorch's
    /// strict=False. Shape and dtype-kind mismatches fail in both modes: loading them would silently corrupt the model.
    /// </summary>
    public bool Strict { get; init; } = true;
}
