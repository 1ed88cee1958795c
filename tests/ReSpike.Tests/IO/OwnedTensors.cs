using static TorchSharp.torch;

namespace ReSpike.Tests.IO;

/// <summary>Named tensors the test owns: replacing one or disposing the whole set frees the native memory.</summary>
sealed class OwnedTensors : Dictionary<string, Tensor>, IDisposable
{
    public OwnedTensors() { }

    public OwnedTensors(IEnumerable<KeyValuePair<string, Tensor>> tensors) : base(tensors) { }

    /// <summary>Disposes the tensor under <paramref name="name"/> and puts <paramref name="tensor"/> there (null: removes it).</summary>
    public void Replace(string name, Tensor? tensor)
    {
        if (Remove(name, out var old)) old.Dispose();
        if (tensor is not null) this[name] = tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in Values) tensor.Dispose();
    }
}
