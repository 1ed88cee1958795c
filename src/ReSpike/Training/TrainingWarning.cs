using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// Something about a run's recipe that departs from the paper and that the user should know before it starts
/// (the trainer reports each one once through <see cref="ITrainingObserver.Warning"/>; the CLI prints it).
/// <see cref="Code"/> lets a caller that knows better (the demo) suppress a warning; <see cref="Text"/> is the message.
/// </summary>
public sealed record TrainingWarning(string Code, string Text)
{
    /// <summary>An ANN-using variant without --pretrained: its ANN starts from random weights instead of ImageNet's.</summary>
    public const string AnnFromScratch = "ann-from-scratch";

    /// <summary>The warnings a run with <paramref name="options"/> gets.</summary>
    public static IReadOnlyList<TrainingWarning> For(TrainingOptions options)
    {
        var list = new List<TrainingWarning>();
        var model = options.Model;
        // from the registry, not the ReSpike variants: any model with an ImageNet trunk
        if (ModelRegistry.Models.Get(model.Name).ImageNetTrunk && options.Pretrained is null)
        {
            var file = $"{model.Backbone}.safetensors";
            list.Add(new(AnnFromScratch,
                $"the ANN branch ({model.Backbone}) of model '{model.Name}' starts from scratch (random weights, no --pretrained). " +
                "The paper fine-tunes torchvision ImageNet weights, so accuracy from scratch is far below its numbers. " +
                $"Convert the weights once (README, \"ImageNet weights for the ANN branch\"), check them with " +
                $"`respike init --backbone {model.Backbone} --pretrained {file} --out init.safetensors`, then train with `--pretrained {file}`."));
        }
        return list;
    }
}
