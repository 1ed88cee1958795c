using static TorchSharp.torch;

namespace ReSpike.Data.Loading;

/// <summary>
/// A batch ready for the network: Clips [B*V, T, 3, S, S] (the V views of a clip are adjacent),
/// Labels [B] (int64), and which video/clip each row came from. Owns its tensors.
/// </summary>
public sealed class ClipBatch(Tensor clips, Tensor labels, IReadOnlyList<ClipRef> refs, int views, int skipped) : IDisposable
{
    public Tensor Clips { get; } = clips;
    public Tensor Labels { get; } = labels;
    public IReadOnlyList<ClipRef> Refs { get; } = refs;
    public int Views { get; } = views;

    /// <summary>Clips of this batch dropped because their video failed to read.</summary>
    public int Skipped { get; } = skipped;

    public int Count => Refs.Count;

    /// <summary>Position of the batch's first clip in the epoch's clip order (<see cref="ClipLoader.Clips"/>).</summary>
    public int Start { get; init; }

    public void Dispose()
    {
        Clips.Dispose();
        Labels.Dispose();
    }
}
