using System.Text.Json;
using static TorchSharp.torch;

namespace ReSpike.Data.Transforms;

/// <summary>
/// One named step of a clip pipeline over [T, 3, H, W]. A step draws its random parameters once per call,
/// so every frame of the clip gets the same crop/flip (temporal consistency). Its JSON form is
/// <c>{"type": Type, ...parameters}</c> (see <see cref="ClipSteps"/>), its one-line form <see cref="Describe"/>.
/// </summary>
public interface IClipStep
{
    /// <summary>The step's name in JSON ("flip", "random-resized-crop", ...).</summary>
    string Type { get; }

    /// <summary>One line with the parameters, e.g. "Flip(p=0.5)".</summary>
    string Describe();

    /// <summary>True when the step draws from the random generator (a training augmentation).</summary>
    bool Draws { get; }

    /// <summary>S when the step's output is S×S (a crop); null when it keeps the size or the aspect.</summary>
    int? OutputSize { get; }

    /// <summary>Views out per view in: 1, or 3 for <see cref="ThreeCrop"/>.</summary>
    int Views => 1;

    /// <summary>The views this step makes of one view (one tensor for every step but the multi-view crops).</summary>
    Tensor[] ApplyViews(Tensor clip, Random rng);

    /// <summary>Writes the parameters (not "type") into the step's open JSON object.</summary>
    void WriteParameters(Utf8JsonWriter json);
}
