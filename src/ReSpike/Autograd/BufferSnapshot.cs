using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Autograd;

/// <summary>
/// A copy of a module's buffers (BatchNorm's running statistics and batch count), written back on Dispose: a forward
/// re-run for backward must not count as another training batch.
/// </summary>
internal sealed class BufferSnapshot : IDisposable
{
    readonly List<(Tensor Buffer, Tensor Copy)> _saved = [];

    BufferSnapshot(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, buffer) in module.named_buffers())
            if (buffer is not null && !buffer.IsInvalid) _saved.Add((buffer, buffer.clone()));
    }

    /// <summary>Snapshots every buffer of <paramref name="module"/> and its descendants.</summary>
    public static BufferSnapshot Of(nn.Module module) => new(module);

    public void Dispose()
    {
        using var noGrad = no_grad();
        foreach (var (buffer, copy) in _saved)
        {
            buffer.copy_(copy);
            copy.Dispose();
        }
        _saved.Clear();
    }
}
