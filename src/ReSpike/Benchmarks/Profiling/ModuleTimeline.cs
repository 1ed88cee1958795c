using System.Diagnostics;
using ReSpike.Spiking.Monitors;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks.Profiling;

/// <summary>
/// Times every module call of a network: forward through forward pre/post hooks, backward through
/// <see cref="BackwardClock"/> markers the hooks put on each call's input and output (training only). Each call is
/// an interval; <see cref="SelfSeconds"/> charges every instant to the innermost interval running then, so a
/// container's own time (reshapes, adds, functional ops) is what its children do not cover. While
/// <see cref="Phase"/> is backward, forwards that run (a recompute-in-backward) count as backward work.
/// Modules whose input carries no gradient get one while training is profiled, so their backward can be bracketed
/// (the ANN and SNN stems then also compute a small input gradient).
/// </summary>
internal sealed class ModuleTimeline : IDisposable
{
    internal enum StepPhase { Forward, Backward }

    sealed class Call(string path)
    {
        public string Path { get; } = path;
        public StepPhase Phase;
        public long ForwardStart, ForwardEnd, BackwardStart, BackwardEnd;
    }

    readonly List<Action> removers = [];
    readonly List<Call> calls = [];
    readonly bool markBackward;

    public ModuleTimeline(nn.Module root, bool markBackward)
    {
        this.markBackward = markBackward;
        foreach (var (path, module) in ModuleTree.Named(root)) Attach(path, module);
    }

    public StepPhase Phase { get; set; } = StepPhase.Forward;

    void Attach(string path, nn.Module module)
    {
        var open = new Stack<Call>();
        Call Begin()
        {
            var call = new Call(path) { Phase = Phase, ForwardStart = Stopwatch.GetTimestamp() };
            open.Push(call);
            calls.Add(call);
            return call;
        }
        Call End()
        {
            var call = open.Pop();
            call.ForwardEnd = Stopwatch.GetTimestamp();
            return call;
        }
        // the input is marked before the call's clock starts and the output after it stops; the markers' copies are
        // timed as their own intervals, which the profile drops
        Tensor BeginMarked(Tensor x)
        {
            if (!markBackward || !is_grad_enabled()) { Begin(); return x; }
            long start = Stopwatch.GetTimestamp();
            Call? call = null;
            var input = x.requires_grad ? x : x.detach().requires_grad_(true);
            var marked = BackwardClock.Mark(input, () => call!.BackwardEnd = Stopwatch.GetTimestamp());
            Overhead(start);
            call = Begin();
            return marked;
        }
        Tensor EndMarked(Tensor y)
        {
            var call = End();
            if (!markBackward || !y.requires_grad) return y;
            long start = Stopwatch.GetTimestamp();
            var marked = BackwardClock.Mark(y, () => call.BackwardStart = Stopwatch.GetTimestamp());
            Overhead(start);
            return marked;
        }

        switch (module)
        {
            case nn.Module<Tensor, Tensor> single:
                var pre1 = single.register_forward_pre_hook((_, x) => BeginMarked(x));
                var post1 = single.register_forward_hook((_, _, y) => EndMarked(y));
                removers.Add(pre1.remove); removers.Add(post1.remove);
                break;
            case nn.Module<Tensor, Tensor, Tensor> pair:   // also the attention blocks' (x, context?)
                var pre2 = pair.register_forward_pre_hook((_, x, c) => (BeginMarked(x), c));
                var post2 = pair.register_forward_hook((_, _, _, y) => EndMarked(y));
                removers.Add(pre2.remove); removers.Add(post2.remove);
                break;
        }
    }

    /// <summary>Path under which the markers' own copies are timed; not a module, not reported.</summary>
    public const string MarkerOverhead = "(profiler markers)";

    void Overhead(long start) =>
        calls.Add(new Call(MarkerOverhead) { Phase = Phase, ForwardStart = start, ForwardEnd = Stopwatch.GetTimestamp() });

    /// <summary>
    /// Seconds per module path that no nested call covers, for forward work (calls made in the forward phase) and
    /// backward work (backward intervals, and forwards re-run during backward).
    /// </summary>
    public (Dictionary<string, double> Forward, Dictionary<string, double> Backward) SelfSeconds()
    {
        var forward = new List<(long Start, long End, string Path)>();
        var backward = new List<(long Start, long End, string Path)>();
        foreach (var c in calls)
        {
            (c.Phase == StepPhase.Forward ? forward : backward).Add((c.ForwardStart, c.ForwardEnd, c.Path));
            if (c.BackwardStart != 0 && c.BackwardEnd > c.BackwardStart) backward.Add((c.BackwardStart, c.BackwardEnd, c.Path));
        }
        return (Sweep(forward), Sweep(backward));
    }

    /// <summary>Charges each stretch of time to the most recently started interval still running.</summary>
    static Dictionary<string, double> Sweep(List<(long Start, long End, string Path)> intervals)
    {
        var events = new List<(long Time, int Index, bool Starts)>(intervals.Count * 2);
        for (int i = 0; i < intervals.Count; i++)
        {
            events.Add((intervals[i].Start, i, true));
            events.Add((intervals[i].End, i, false));
        }
        // at equal times, ends before starts, so back-to-back calls do not overlap
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Starts.CompareTo(b.Starts));
        var seconds = new Dictionary<string, double>();
        var running = new List<int>();
        long last = 0;
        foreach (var (time, index, starts) in events)
        {
            if (running.Count > 0)
            {
                var path = intervals[running[^1]].Path;
                seconds[path] = seconds.GetValueOrDefault(path) + (time - last) / (double)Stopwatch.Frequency;
            }
            if (starts) running.Add(index); else running.Remove(index);
            last = time;
        }
        return seconds;
    }

    public void Dispose()
    {
        foreach (var remove in removers) remove();
        removers.Clear();
    }
}
