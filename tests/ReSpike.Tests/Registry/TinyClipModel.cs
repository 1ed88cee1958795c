using ReSpike.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Tests.Registry;

/// <summary>
/// A model the library has never heard of, defined entirely in the test assembly: mean over time, a 3x3 conv,
/// global pooling and a linear head. Proves that a new model is one file plus one registration.
/// </summary>
sealed class TinyClipModel : VideoModel
{
    public const string Name = "tiny-test-clip";

    /// <summary>Registers the model once per test process (the registry refuses a second registration).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
            if (!ModelRegistry.Models.Contains(Name))
                ModelRegistry.Models.Add(new ModelEntry(Name, "test only: time-averaged frames through one conv", ModelFamily.Ann,
                                                        "all frames (averaged)", "MAC", config => new TinyClipModel(config)));
    }

    static readonly object Gate = new();

    readonly Conv2d conv;
    readonly Linear fc;

    TinyClipModel(ReSpikeConfig config) : base(nameof(TinyClipModel), config)
    {
        conv = nn.Conv2d(3, 8, 3, padding: 1);
        fc = nn.Linear(8, config.NumClasses);
        RegisterComponents();
    }

    /// <summary>clip [B, T, 3, H, W] -> logits [B, classes].</summary>
    public override Tensor forward(Tensor clip)
    {
        using var scope = torch.NewDisposeScope();
        var features = conv.call(clip.mean([1])).relu().mean([2, 3]);
        return fc.call(features).MoveToOuterDisposeScope();
    }
}
