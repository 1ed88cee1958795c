using ReSpike.Models;
using ReSpike.Training.Optimizers;

namespace ReSpike.Training.Hooks;

/// <summary>
/// What a hook sees of a run: its options, files, model and optimizer, where it stands (epoch, step, learning rate,
/// the resumable <see cref="TrainingState"/>), the last step and the last epoch's metrics. The trainer updates it in
/// place before each call; hooks read it (and may write through <see cref="Observer"/> and <see cref="TensorBoard"/>).
/// </summary>
public sealed class TrainingContext : IDisposable
{
    TensorBoardLog? _board;
    readonly List<EpochMetrics> _history;

    internal TrainingContext(TrainingOptions options, RunFiles files, VideoModel model, IOptimizer optimizer, IReadOnlyList<string> classNames,
                             ITrainingObserver observer, bool resumed, TrainingState state, List<EpochMetrics> history, CancellationToken cancel)
    {
        Options = options;
        Files = files;
        Model = model;
        Optimizer = optimizer;
        ClassNames = classNames;
        Observer = observer;
        Resumed = resumed;
        State = state;
        _history = history;
        Cancel = cancel;
    }

    /// <summary>The effective options (the class count filled in), as config.json holds them.</summary>
    public TrainingOptions Options { get; }
    public RunFiles Files { get; }
    public VideoModel Model { get; }
    public IOptimizer Optimizer { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>The run's progress reporter (messages reach the CLI's output).</summary>
    public ITrainingObserver Observer { get; }
    /// <summary>True when the run continues a saved one (--resume).</summary>
    public bool Resumed { get; }
    public CancellationToken Cancel { get; }

    /// <summary>Epoch in progress, 0-based (the last one done in <see cref="ITrainingHook.AfterEpoch"/>).</summary>
    public int Epoch { get; internal set; }
    public int Epochs => Options.Epochs;
    /// <summary>Steps done in the current epoch (1 after its first step).</summary>
    public int Step { get; internal set; }
    /// <summary>Steps the current epoch has.</summary>
    public int Batches { get; internal set; }
    /// <summary>Steps done since the run's first epoch, resumed parts included: the x axis of per-step TensorBoard scalars.</summary>
    public long GlobalStep { get; internal set; }
    /// <summary>How steps take the epoch's clips: micro-batch, accumulation, ranks (<see cref="StepLayout.GlobalBatch"/> clips per step).</summary>
    public StepLayout Layout { get; internal set; } = new(1);

    /// <summary>The current epoch's learning rate.</summary>
    public double LearningRate { get; internal set; }

    /// <summary>The position a resume point saves now (running sums within an epoch; the next epoch's after one).</summary>
    public TrainingState State { get; internal set; }

    /// <summary>The last optimisation step; null before the first one of this process.</summary>
    public StepReport? LastStep { get; internal set; }

    /// <summary>The finished epoch's metrics (set for <see cref="ITrainingHook.AfterEpoch"/>).</summary>
    public EpochMetrics? Metrics { get; internal set; }

    /// <summary>Whether <see cref="Metrics"/> beat every earlier epoch (clip top-1; best.safetensors is due).</summary>
    public bool IsBest { get; internal set; }

    /// <summary>Every finished epoch of the run, earlier processes' too (what metrics.jsonl holds).</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    public RunOutcome Outcome { get; internal set; } = RunOutcome.Running;

    /// <summary>The run's TensorBoard event writer (tensorboard/), opened on first use and shared by every hook.</summary>
    public TensorBoardLog TensorBoard => _board ??= new TensorBoardLog(Files.TensorBoard);

    internal void Add(EpochMetrics metrics) => _history.Add(metrics);

    public void Dispose() => _board?.Dispose();
}
