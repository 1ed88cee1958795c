using System.Text.Json;
using System.Text.Json.Serialization;
using ReSpike.Data;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// Everything that defines a training run. Saved as config.json beside the run; a JSON file with
/// any subset of these fields can be passed to `train --config`, and flags override it (the paper's recipes are
/// configs/*.json). The optimizer defaults are the reference's (SGD momentum 0.9, weight decay 1e-4, cosine over the
/// epochs, lr 0.01 = its argparse default); epochs, batch size and the missing ImageNet weights are not (docs/training.md).
/// </summary>
public sealed record TrainingOptions
{
    public ReSpikeConfig Model { get; init; } = new();
    public DatasetSpec Data { get; init; } = new();
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 0.01;
    /// <summary>A registered optimizer (<see cref="Optimizers.OptimizerRegistry"/>): sgd or adamw.</summary>
    public string Optimizer { get; init; } = "sgd";
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public int WarmupEpochs { get; init; }

    /// <summary>A registered learning-rate schedule (<see cref="ScheduleRegistry"/>): cosine.</summary>
    public string Schedule { get; init; } = "cosine";
    public int Seed { get; init; } = 1001;

    /// <summary>
    /// Clip sampling: "clips" (every consecutive clip, the reference's UCF-101/HMDB-51), "segments" (TSN, random
    /// offsets: the reference's Kinetics-400), "segments:centre" or "uniform:N". Evaluation samples the same way.
    /// </summary>
    public string Sampling { get; init; } = "clips";

    /// <summary>Smallest area fraction RandomResizedCrop may keep (reference 0.08; small or synthetic frames train better with more).</summary>
    public double MinCropScale { get; init; } = 0.08;

    /// <summary>Training crop: random-resized (UCF-101/HMDB-51 reference) or multiscale (Kinetics-400 reference's corner crop).</summary>
    public TrainCrop TrainCrop { get; init; } = TrainCrop.RandomResized;

    /// <summary>Test transform: centre (shorter side S, UCF-101/HMDB-51 reference) or scaled-centre (8/7·S then S, Kinetics-400 reference).</summary>
    public TestCrop TestCrop { get; init; } = TestCrop.Centre;

    /// <summary>Random horizontal flip (reference: on). Turn it off when classes differ by left/right direction (a flip would swap them).</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Per-epoch evaluation on the test subset with the training's sampling and <see cref="TestCrop"/>.</summary>
    public bool Evaluate { get; init; } = true;

    /// <summary>Torchvision ImageNet weights (safetensors) for the ANN branch.</summary>
    public string? Pretrained { get; init; }

    /// <summary>
    /// Also save last.safetensors every N training steps and before each evaluation (0: only at the end of each epoch
    /// and on Ctrl-C). A hard kill (kill -9, out of memory, power loss of the process) then loses at most N steps.
    /// </summary>
    public int SaveEvery { get; init; }

    public int Threads { get; init; }
    public int Prefetch { get; init; } = 2;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a (partial) config file; unknown fields are an error naming the file.</summary>
    public static TrainingOptions FromJsonFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--config: file not found: {path}", path);
        try
        {
            var options = new JsonSerializerOptions(Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
            return JsonSerializer.Deserialize<TrainingOptions>(File.ReadAllText(path), options)
                   ?? throw new InvalidDataException($"{path}: empty config");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid training config: {e.Message}");
        }
    }

    /// <summary>Checks every field (errors name the flag) and returns the options with the decode size filled in for --image.</summary>
    public TrainingOptions Validate()
    {
        Model.Validate();
        if (Epochs < 1) throw new ArgumentException($"--epochs must be >= 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be >= 1, got {BatchSize}");
        if (!(LearningRate > 0)) throw new ArgumentException($"--lr must be > 0, got {LearningRate}");
        if (!Optimizers.OptimizerRegistry.Optimizers.Contains(Optimizer)) throw Optimizers.OptimizerRegistry.Optimizers.Unknown(Optimizer);
        if (!ScheduleRegistry.Schedules.Contains(Schedule)) throw ScheduleRegistry.Schedules.Unknown(Schedule);
        if (WarmupEpochs < 0 || WarmupEpochs >= Epochs) throw new ArgumentException($"--warmup must be in 0..{Epochs - 1} epochs, got {WarmupEpochs}");
        if (!(MinCropScale > 0 && MinCropScale <= 1)) throw new ArgumentException($"--min-crop-scale must be in (0, 1], got {MinCropScale}");
        if (Evaluate && Data.Kind is DatasetKind.Kinetics400 or DatasetKind.Rawframes && Data.Annotations is not null && Data.TestAnnotations is null)
            throw new ArgumentException("--test-annotations: with --annotations naming the training list, per-epoch evaluation needs the test list too (or pass --no-eval)");
        ClipSampler.Parse(Sampling, Model.Frames);
        if (SaveEvery < 0) throw new ArgumentException($"--save-every must be >= 0 steps (0: at the end of each epoch only), got {SaveEvery}");
        if (WeightDecay < 0) throw new ArgumentException($"--weight-decay must be >= 0, got {WeightDecay}");
        return this with { Data = Data.ForImage(Model.ImageSize, TestCrop) };
    }
}
