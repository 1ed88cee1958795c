using System.Diagnostics;

namespace ReSpike.Distributed;

/// <summary>
/// Ends the job when a collective waits too long: MPI collectives block forever when a rank died without the launcher
/// noticing, or hangs. A background thread checks the armed call; past the timeout it prints which call on which rank
/// gave up, then calls the timeout action (MPI_Abort: the launcher stops every rank with a non-zero exit).
/// </summary>
sealed class CollectiveWatchdog : IDisposable
{
    readonly double _timeoutSeconds;
    readonly Action<string> _onTimeout;
    readonly Thread _thread;
    readonly Stopwatch _armed = new();
    readonly object _gate = new();
    string? _what;
    volatile bool _stopped;

    public CollectiveWatchdog(double timeoutSeconds, Action<string> onTimeout)
    {
        _timeoutSeconds = timeoutSeconds;
        _onTimeout = onTimeout;
        _thread = new Thread(Watch) { IsBackground = true, Name = "mpi-watchdog" };
        _thread.Start();
    }

    public void Arm(string what)
    {
        lock (_gate) { _what = what; _armed.Restart(); }
    }

    public void Disarm()
    {
        lock (_gate) { _what = null; _armed.Reset(); }
    }

    void Watch()
    {
        while (!_stopped)
        {
            Thread.Sleep(100);
            string? late = null;
            lock (_gate)
                if (_what is not null && _armed.Elapsed.TotalSeconds > _timeoutSeconds) late = _what;
            if (late is not null)
            {
                _onTimeout(late);
                return;
            }
        }
    }

    public void Dispose() => _stopped = true;
}
