using ReSpike.Data;
using ReSpike.Data.Loading;
using ReSpike.Energy;
using ReSpike.Models;
using ReSpike.Tests.IO;
using ReSpike.Training;
using TorchSharp;

namespace ReSpike.Tests.Registry;

/// <summary>A model registered from outside the library goes through training, checkpoints, evaluation, energy and the CLI by name.</summary>
public class NewModelTests
{
    static TrainingOptions Options() => Training.TinyRuns.Options(epochs: 2) with
    {
        Model = Training.TinyRuns.Options().Model with { Name = TinyClipModel.Name },
        LearningRate = 1e-2,
    };

    [Fact]
    public void A_model_registered_in_another_assembly_trains_resumes_checkpoints_and_evaluates()
    {
        TinyClipModel.EnsureRegistered();
        using var dir = new TempDirectory();
        var result = new Trainer(Options() with { Epochs = 3 }, dir.Path).Run();
        Assert.False(result.Interrupted);
        Assert.Equal(3, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss,
            $"loss did not go down: {string.Join(" -> ", result.Epochs.Select(e => e.TrainLoss.ToString("0.000")))}");
        Assert.Equal(TinyClipModel.Name, TrainingOptions.FromJsonFile(result.Files.Config).Model.Name);

        // the checkpoint names the model; loading rebuilds the registered type with the trained weights
        Assert.Equal(TinyClipModel.Name, Checkpoint.ReadConfig(result.Files.Best).Name);
        using (var best = Checkpoint.Load(result.Files.Best)) Assert.IsType<TinyClipModel>(best);
        using var loaded = Assert.IsType<TinyClipModel>(Checkpoint.Load(result.Files.Last));
        var (dataset, reader) = Options().Data.Open(DatasetSubset.Test);
        var report = Evaluator.Run(loaded, IndexedDataset.Build(dataset, reader), batchSize: 4);
        Assert.Equal(dataset.Count, report.Videos);
        // the last checkpoint holds the weights the last epoch was evaluated with
        Assert.Equal(result.LastEvaluation!.ClipTop1, report.ClipTop1, 12);
        Assert.Equal(result.LastEvaluation.VideoTop1, report.VideoTop1, 12);
        // a run of the new model resumes like any other
        var resumed = new Trainer(Options() with { Epochs = 4 }, dir.Path).Run(resume: true);
        Assert.Equal(4, resumed.Epochs.Count);

        // energy: an ANN-family model is counted on one clip, all MACs
        var energy = EnergyAnalysis.Run(loaded, null, new EnergyAnalysisOptions { Baseline = false });
        Assert.Equal(TinyClipModel.Name, energy.Model);
        Assert.Equal(0, energy.TotalGacs);
        // conv 32x32x8 outputs x (27 + 1 bias) MACs, among others
        Assert.True(energy.TotalGmacs * 1e9 >= 32 * 32 * 8 * 28, $"{energy.TotalGmacs} GMACs");
    }
}
