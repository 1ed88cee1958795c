using System.Collections.Concurrent;
using System.Diagnostics;
using ReSpike.Video;

namespace ReSpike.Streaming;

/// <summary>
/// Runs ffmpeg on a <see cref="StreamSource"/> and hands its frames (scaled, optionally fps-resampled, RGB24) to one
/// consumer through a bounded queue, so memory stays bounded however long the stream. A file read as fast as possible
/// waits for the consumer (nothing is lost); a live source does not wait: a frame that finds the queue full is dropped
/// and counted (<see cref="Dropped"/>), never silently.
/// </summary>
public sealed class FrameFeed : IDisposable
{
    readonly Process _process;
    readonly BlockingCollection<StreamFrame> _queue;
    readonly Thread _reader;
    readonly Task<string> _stderr;
    readonly bool _live;
    long _dropped, _received;
    Exception? _readError;

    /// <param name="width">Output frame width (ffmpeg scales to it, bilinear, as <see cref="VideoDecoder"/> does).</param>
    /// <param name="framesPerSecond">Resample to this rate (ffmpeg's fps filter); null keeps every decoded frame.</param>
    /// <param name="capacity">Frames the queue holds before a live source starts dropping (a file source waits instead).</param>
    public FrameFeed(StreamSource source, int width, int height, double? framesPerSecond, bool realtime, int capacity, RawFrameFormat? raw = null)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the frame queue needs room for at least one frame");
        Width = width;
        Height = height;
        _live = source.IsLive(realtime);
        _queue = new BlockingCollection<StreamFrame>(capacity);
        var start = new ProcessStartInfo(Ffmpeg.FfmpegExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // raw frames on our stdin go straight to ffmpeg's
            RedirectStandardInput = source.Kind != StreamSourceKind.Stdin,
            UseShellExecute = false,
        };
        foreach (var a in Arguments(source, width, height, framesPerSecond, realtime, raw)) start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new StreamSourceException($"--input {source.Location}: could not start ffmpeg");
        if (start.RedirectStandardInput) _process.StandardInput.Close();
        _stderr = _process.StandardError.ReadToEndAsync();
        _reader = new Thread(ReadFrames) { IsBackground = true, Name = "ffmpeg frames" };
        _reader.Start();
        Source = source;
    }

    public StreamSource Source { get; }
    public int Width { get; }
    public int Height { get; }
    public int FrameBytes => Width * Height * 3;

    /// <summary>Frames a live source delivered while the queue was full (the consumer fell behind).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames read from ffmpeg, dropped ones included.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Frames waiting for the consumer now.</summary>
    public int Queued => _queue.Count;

    /// <summary>The frames in order until the source ends or <paramref name="cancel"/> fires (a live source's gaps are dropped frames).</summary>
    public IEnumerable<StreamFrame> Frames(CancellationToken cancel = default)
    {
        IEnumerable<StreamFrame> frames;
        try { frames = _queue.GetConsumingEnumerable(cancel); }
        catch (OperationCanceledException) { yield break; }
        using var e = frames.GetEnumerator();
        while (true)
        {
            try { if (!e.MoveNext()) break; }
            catch (OperationCanceledException) { yield break; }
            yield return e.Current;
        }
        if (_readError is not null) throw new StreamSourceException($"--input {Source.Location}: reading frames failed: {_readError.Message}");
    }

    /// <summary>After <see cref="Frames"/> ended: ffmpeg's exit code and last error lines (a source that ends in an error is reported, not taken for its end).</summary>
    public (int ExitCode, string Error) Finish()
    {
        if (!_process.WaitForExit(10_000)) Kill();
        _process.WaitForExit();
        var err = _stderr.Result;
        return (_process.ExitCode, FfmpegErrors.Summarize(err, ""));
    }

    static IReadOnlyList<string> Arguments(StreamSource source, int width, int height, double? fps, bool realtime, RawFrameFormat? raw)
    {
        var args = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
        if (source.Kind == StreamSourceKind.Stdin) args.Remove("-nostdin");
        args.AddRange(source.InputArguments(realtime, raw));
        args.AddRange(VideoDecoder.OutputArguments(width, height, fps));
        return args;
    }

    void ReadFrames()
    {
        var stdout = _process.StandardOutput.BaseStream;
        try
        {
            long index = 0;
            while (true)
            {
                var rgb = new byte[FrameBytes];
                int filled = 0;
                while (filled < rgb.Length)
                {
                    int n = stdout.Read(rgb, filled, rgb.Length - filled);
                    if (n == 0) break;
                    filled += n;
                }
                if (filled < rgb.Length) break;   // end of stream (a partial last frame is not a frame)
                var frame = new StreamFrame(index++, rgb, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _received);
                if (_live)
                {
                    if (!_queue.TryAdd(frame)) Interlocked.Increment(ref _dropped);
                }
                else
                {
                    _queue.Add(frame);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _readError = e;
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        // the reader ends when ffmpeg's pipe closes; unblock a reader waiting for queue room
        while (_reader.IsAlive && _queue.TryTake(out _)) { }
        _reader.Join(5000);
        _process.Dispose();
        _queue.Dispose();
    }
}
