using ReSpike.IO.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.IO;

/// <summary>
/// Loads named tensors into a module's parameters and buffers (BatchNorm running stats included) by name, strictly:
/// every problem is found first and reported together, and nothing is copied unless everything matches.
/// </summary>
public static class StateDict
{
    const int ShownPerKind = 10;

    /// <summary>Copies <paramref name="source"/> into <paramref name="module"/> in place (parameters keep identity and requires_grad).</summary>
    public static StateDictLoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> source, StateDictLoadOptions? options = null)
    {
        var descriptions = source.Select(kv => new SourceTensor(kv.Key, kv.Value.shape, kv.Value.dtype));
        return Apply(module, descriptions, options, "the given tensors", name => (source[name], owned: false));
    }

    /// <summary>Loads a safetensors file, checking names and shapes from its header before reading any data, one tensor at a time.</summary>
    public static StateDictLoadReport LoadFile(nn.Module module, string path, StateDictLoadOptions? options = null)
    {
        var file = SafeTensorsFile.Open(path);
        var descriptions = file.Entries.Select(e => new SourceTensor(e.Name, e.Shape, e.DType.ToScalarType()));
        return Apply(module, descriptions, options, path, name => (file.Read(name), owned: true));
    }

    /// <summary>Writes the module's parameters and buffers as a safetensors file (atomically).</summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        // state_dict() hands out the module's own tensors: they are not ours to dispose
        SafeTensorsWriter.Write(path, module.state_dict(), metadata);

    readonly record struct SourceTensor(string Name, long[] Shape, ScalarType DType);

    readonly record struct Copy(string SourceName, Tensor Target);

    static StateDictLoadReport Apply(nn.Module module, IEnumerable<SourceTensor> sources, StateDictLoadOptions? options,
                                     string sourceLabel, Func<string, (Tensor Tensor, bool owned)> fetch)
    {
        options ??= new StateDictLoadOptions();
        var targets = module.state_dict();
        var (copies, skipped, missing) = Plan(targets, sources, options, $"{sourceLabel} into {module.GetType().Name}");
        using (torch.no_grad())
        {
            foreach (var copy in copies)
            {
                var (tensor, owned) = fetch(copy.SourceName);
                try
                {
                    copy.Target.copy_(tensor);   // converts dtype (e.g. F16 file -> F32 model)
                }
                finally
                {
                    if (owned) tensor.Dispose();
                }
            }
        }
        Spiking.Functional.ForgetWeightCaches(module);   // caches derived from the old weights
        return new StateDictLoadReport(copies.Count, skipped, missing);
    }

    /// <summary>Matches sources to targets; throws one message listing every missing, unexpected and mismatched key.</summary>
    static (List<Copy> Copies, List<string> Skipped, List<string> Missing) Plan(
        Dictionary<string, Tensor> targets, IEnumerable<SourceTensor> sources, StateDictLoadOptions options, string what)
    {
        var copies = new List<Copy>();
        var skipped = new List<string>();
        var unexpected = new List<string>();
        var mismatched = new List<string>();
        var filledBy = new Dictionary<string, string>();   // module name -> file name

        foreach (var source in sources.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var name = options.MapName is null ? source.Name : options.MapName(source.Name);
            var label = name == source.Name ? source.Name : $"{name} (file '{source.Name}')";
            if (name is null)
            {
                skipped.Add(source.Name);
            }
            else if (!targets.TryGetValue(name, out var target))
            {
                if (!options.Strict || options.Optional.Contains(name) || options.Optional.Contains(source.Name)) skipped.Add(source.Name);
                else unexpected.Add(label);
            }
            else if (filledBy.TryGetValue(name, out var first))
            {
                mismatched.Add($"{name}: file tensors '{first}' and '{source.Name}' both map to it");
            }
            else
            {
                filledBy[name] = source.Name;
                var problem = Mismatch(source, target);
                if (problem is null) copies.Add(new Copy(source.Name, target));
                else mismatched.Add($"{label}: {problem}");
            }
        }

        var missing = targets.Keys.Where(n => !filledBy.ContainsKey(n)).ToList();
        var missingErrors = options.Strict ? missing.Where(n => !options.Optional.Contains(n)).ToList() : [];
        if (missingErrors.Count + unexpected.Count + mismatched.Count > 0)
        {
            var lines = new[]
            {
                Describe(missingErrors, "missing key", "in the model, not in the file"),
                Describe(unexpected, "unexpected key", "in the file, not in the model"),
                Describe(mismatched, "mismatched key", "shape or dtype differs"),
            };
            throw new InvalidDataException($"Cannot load {what}:\n" + string.Join("\n", lines.Where(l => l.Length > 0)));
        }
        return (copies, skipped, missing);
    }

    /// <summary>Shapes must agree exactly; dtypes may differ only between floating types (F16/BF16 files into F32 models).</summary>
    static string? Mismatch(SourceTensor source, Tensor target)
    {
        if (!source.Shape.SequenceEqual(target.shape))
            return $"file {ShapeText.Format(source.Shape)} vs model {ShapeText.Format(target.shape)}";
        var convertible = source.DType == target.dtype || (torch.is_floating_point(source.DType) && torch.is_floating_point(target.dtype));
        return convertible ? null : $"file dtype {source.DType} vs model dtype {target.dtype}";
    }

    static string Describe(List<string> names, string kind, string meaning)
    {
        if (names.Count == 0) return "";
        var shown = string.Join("\n", names.Take(ShownPerKind).Select(n => "    " + n));
        var more = names.Count > ShownPerKind ? $"\n    ... and {names.Count - ShownPerKind} more" : "";
        return $"  {names.Count} {kind}{(names.Count == 1 ? "" : "s")} ({meaning}):\n{shown}{more}";
    }
}
