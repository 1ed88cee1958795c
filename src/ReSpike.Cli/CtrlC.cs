namespace ReSpike.Cli;

/// <summary>
/// Turns Ctrl-C into a cancellation request while it is alive, so long jobs (train, prepare, demo) can stop at a
/// safe point and save instead of being killed mid-write.
/// </summary>
sealed class CtrlC : IDisposable
{
    readonly CancellationTokenSource _source = new();

    public CtrlC() => Console.CancelKeyPress += OnCancel;

    public CancellationToken Token => _source.Token;

    void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true; // keep the process alive: the job notices the token and stops cleanly
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _source.Dispose();
    }
}
