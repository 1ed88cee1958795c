using ReSpike.Data;
using ReSpike.Models;
using ReSpike.Training;

namespace ReSpike.Tests.Training;

/// <summary>Training settings small enough for unit tests: synthetic 32 px, 4-frame clips, stride 2.</summary>
static class TinyRuns
{
    public static TrainingOptions Options(int epochs = 2, ModelVariant variant = ModelVariant.ReSpike, int videosPerClass = 3) => new()
    {
        Model = new ReSpikeConfig { Variant = variant, Backbone = "resnet18", Stride = 2, Frames = 4, ImageSize = 32, NumClasses = 6 },
        Data = new DatasetSpec { Kind = DatasetKind.Synthetic, SyntheticVideosPerClass = videosPerClass, SyntheticFrames = 4, SyntheticSize = 32, CacheDirectory = null },
        Epochs = epochs,
        BatchSize = 6,
        Optimizer = "adamw",
        LearningRate = 1e-3,
        MinCropScale = 0.5,
        Seed = 7,
        Prefetch = 1,
        // fixed, not libtorch's current setting: an in-process CLI test with --threads 1 would otherwise change the
        // reduction order and with it these short runs' loss curves (the trainer applies Threads at its start)
        Threads = 2,
    };

    /// <summary>Cancels the run once it has done a given number of steps (simulates Ctrl-C).</summary>
    public sealed class CancelAfter(int steps, CancellationTokenSource cancel) : ITrainingObserver
    {
        int _done;

        public void Step(int epoch, int step, int batches, double loss, double accuracy, double clipsPerSecond)
        {
            if (++_done == steps) cancel.Cancel();
        }
    }
}
