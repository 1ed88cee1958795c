using ReSpike.Training;
using Spectre.Console;

namespace ReSpike.Cli;

/// <summary>Draws a run's progress: indexing, a per-epoch bar with loss/accuracy/clips/s/ETA, and one line per finished epoch.</summary>
sealed class ConsoleTrainingObserver(ProgressContext progress, string label = "") : ITrainingObserver
{
    ProgressTask? _task;
    readonly string _label = label.Length > 0 ? label + " " : "";

    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(_label + text));

    public void Warning(TrainingWarning warning) => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(_label + "warning: ") + "[/]" + Markup.Escape(warning.Text));

    readonly object _gate = new();

    /// <summary>Called from the indexing workers in parallel: one bar per subset, only moving forward.</summary>
    public void Indexing(string subset, int done, int total)
    {
        lock (_gate)
        {
            if (_task is null || !_task.Description.StartsWith(_label + "indexing " + subset, StringComparison.Ordinal))
                _task = progress.AddTask($"{_label}indexing {subset}", maxValue: total);
            if (done > _task.Value) _task.Value = done;
        }
    }

    public void EpochStarted(int epoch, int epochs, int batches, double learningRate)
    {
        _task = progress.AddTask($"{_label}epoch {epoch + 1}/{epochs}", maxValue: Math.Max(1, batches));
    }

    public void Step(int epoch, int step, int batches, double loss, double accuracy, double clipsPerSecond)
    {
        if (_task is null) return;
        _task.Value = step;
        _task.Description = $"{_label}epoch {epoch + 1} loss {loss:0.000} acc {accuracy:P0} {clipsPerSecond:0.0} clips/s";
    }

    public void Evaluating(int done, int total)
    {
        if (_task is null || !_task.Description.StartsWith(_label + "evaluating", StringComparison.Ordinal))
            _task = progress.AddTask($"{_label}evaluating", maxValue: Math.Max(1, total));
        _task.Value = done;
    }

    public void EpochFinished(EpochMetrics m, bool best)
    {
        _task?.StopTask();
        var eval = m.VideoTop1 is double v ? $" | clip top-1 {m.ClipTop1:P1} video top-1 {v:P1}" : "";
        AnsiConsole.MarkupLine(Markup.Escape($"{_label}epoch {m.Epoch}: loss {m.TrainLoss:0.0000} train top-1 {m.TrainTop1:P1}{eval} | lr {m.Lr:0.#####} | {m.ClipsPerS:0.0} clips/s, {m.Seconds:0.0} s") + (best ? " [green](best)[/]" : ""));
    }
}
