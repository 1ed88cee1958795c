using System.Diagnostics;
using System.Globalization;
using ReSpike.Diagnostics;

namespace ReSpike.Training.Hooks;

/// <summary>
/// Every <see cref="Every"/> steps of an epoch, one line in run.log and the same values as TensorBoard scalars under
/// <c>step/</c> (x = global step): the mean loss of those steps, the learning rate, clips/s over their wall time, the mean
/// time a step waited for data (under MPI also comm_s, rank 0's mean time per step in collectives), the process's resident memory and the time left for the remaining training steps
/// (evaluations not included). Lines are key=value pairs after an ISO timestamp, e.g.
/// <c>2025-01-02T03:04:05Z epoch=1/10 step=20/300 loss=1.7912 lr=0.001 clips_per_s=42.1 data_wait_s=0.013 rss_mb=812 eta=01:23:45</c>.
/// run.log is appended to, so a resumed run continues it; it also gets a line when a run starts and when an epoch ends.
/// </summary>
public sealed class IntervalLogHook(int every) : ITrainingHook
{
    public int Every { get; } = every > 0 ? every : throw new ArgumentOutOfRangeException(nameof(every), every, "log interval must be >= 1 step");

    readonly Stopwatch _interval = new();
    int _steps, _clips;
    double _lossSum, _waitSum, _commSum;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void BeforeRun(TrainingContext c) =>
        Write(c, $"{(c.Resumed ? "resumed" : "started")} at epoch={c.State.Epoch + 1}/{c.Epochs} step={c.State.Step} log_every={Every}" +
                 $" global_batch={c.Layout.GlobalBatch} batch={c.Layout.MicroBatch} ranks={c.Layout.Ranks} accumulate={c.Layout.Accumulate}");

    public void BeforeEpoch(TrainingContext c)
    {
        _steps = _clips = 0;
        _lossSum = _waitSum = _commSum = 0;
        _interval.Restart();
    }

    public void AfterStep(TrainingContext c)
    {
        var step = c.LastStep!;
        _steps++;
        _clips += step.Clips;
        _lossSum += step.Loss;
        _waitSum += step.DataWaitSeconds;
        _commSum += step.CommunicationSeconds;
        if (c.Step % Every != 0) return;

        double seconds = Math.Max(1e-9, _interval.Elapsed.TotalSeconds);
        double loss = _lossSum / _steps, clipsPerS = _clips / seconds, wait = _waitSum / _steps, comm = _commSum / _steps;
        long remaining = (c.Batches - c.Step) + (long)(c.Epochs - c.Epoch - 1) * c.Batches;
        var eta = TimeSpan.FromSeconds(Math.Round(seconds / _steps * remaining));
        double? rss = ProcessMemory.ResidentMb();
        Write(c, string.Create(Inv,
            $"epoch={c.Epoch + 1}/{c.Epochs} step={c.Step}/{c.Batches} loss={loss:0.####} lr={c.LearningRate:G6} clips_per_s={clipsPerS:0.##} " +
            $"data_wait_s={wait:0.###}{(c.Layout.Ranks > 1 ? $" comm_s={comm:0.###}" : "")} rss_mb={(rss is double r ? r.ToString("0", Inv) : "n/a")} eta={(int)eta.TotalHours:00}:{eta.Minutes:00}:{eta.Seconds:00}"));

        var board = c.TensorBoard;
        board.Scalar("step/loss", loss, c.GlobalStep);
        board.Scalar("step/lr", c.LearningRate, c.GlobalStep);
        board.Scalar("step/clips_per_s", clipsPerS, c.GlobalStep);
        board.Scalar("step/data_wait_s", wait, c.GlobalStep);
        if (rss is double mb) board.Scalar("step/rss_mb", mb, c.GlobalStep);
        if (c.Layout.Ranks > 1) board.Scalar("step/comm_s", comm, c.GlobalStep);

        _steps = _clips = 0;
        _lossSum = _waitSum = _commSum = 0;
        _interval.Restart();
    }

    public void AfterEpoch(TrainingContext c)
    {
        var m = c.Metrics!;
        var eval = m.ClipTop1 is double clip ? string.Create(Inv, $" clip_top1={clip:0.####} video_top1={m.VideoTop1:0.####}") : "";
        Write(c, string.Create(Inv, $"epoch={m.Epoch}/{c.Epochs} done train_loss={m.TrainLoss:0.####} train_top1={m.TrainTop1:0.####}{eval} seconds={m.Seconds:0.#}{(c.IsBest ? " best" : "")}"));
    }

    static void Write(TrainingContext c, string line) =>
        File.AppendAllText(c.Files.RunLog, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", Inv) + " " + line + "\n");
}
