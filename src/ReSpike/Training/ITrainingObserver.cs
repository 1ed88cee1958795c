namespace ReSpike.Training;

/// <summary>Progress of a run as it happens (the CLI draws a progress bar from it; tests ignore it).</summary>
public interface ITrainingObserver
{
    void Message(string text) { }
    /// <summary>A departure from the paper's recipe, reported once when the run starts (e.g. an ANN trained from scratch).</summary>
    void Warning(TrainingWarning warning) { }
    void Indexing(string subset, int done, int total) { }
    void EpochStarted(int epoch, int epochs, int batches, double learningRate) { }
    void Step(int epoch, int step, int batches, double loss, double accuracy, double clipsPerSecond) { }
    void Evaluating(int done, int total) { }
    void EpochFinished(EpochMetrics metrics, bool best) { }
}
