using System.Numerics;

namespace ReSpike.Spiking.Kernels;

/// <summary>
/// The fused multi-step LIF loops over contiguous float32 memory laid out [T, N]: each neuron's whole time loop runs
/// with its membrane in a register (SIMD over neurons, Parallel.For over chunks of neurons), so every tensor is read
/// or written once instead of once per elementwise op and timestep.
/// Forward writes the spikes and the last membrane. Backward recomputes the pre-spike potentials h from the saved
/// input (a few vector registers per neuron group, never stored in memory) and runs the BPTT recurrence in reverse
/// time, as SpikingJelly's fused CUDA kernel does with its saved h.
/// Every float operation mirrors the op-by-op TorchSharp path in value and order, so spikes are bit-identical.
/// </summary>
internal static unsafe class FusedLifKernel
{
    /// <summary>Neurons per parallel work item: T rows of 16 KiB each stay friendly to the prefetcher.</summary>
    const long ChunkNeurons = 4096;

    /// <summary>Below this many neurons x steps, one thread is cheaper than scheduling work items.</summary>
    const long ParallelThreshold = 1 << 15;

    /// <summary>Pointers of one forward call (nint so they can cross into the work-item lambda); VoltageSequence may be zero.</summary>
    internal readonly record struct ForwardBuffers(nint Input, nint InitialV, nint Spikes, nint VoltageSequence, nint LastV);

    /// <summary>Pointers of one backward call; GradSpikes / GradLastV / GradInitialV may be zero (no gradient there).</summary>
    internal readonly record struct BackwardBuffers(nint Input, nint InitialV, nint GradSpikes, nint GradLastV, nint GradInput, nint GradInitialV);

    /// <summary>Longest sequence whose h history lives on the stack during backward (32 bytes per step and vector).</summary>
    const int StackHistorySteps = 1024;

    public static void Forward(ForwardBuffers buffers, int steps, long neurons, LifKernelParameters p, int threads) =>
        ForEachChunk(neurons, steps, threads, (start, end) => ForwardRange(buffers, steps, neurons, p, start, end));

    public static void Backward<TSurrogate>(TSurrogate surrogate, BackwardBuffers buffers, int steps, long neurons, LifKernelParameters p, int threads)
        where TSurrogate : struct, ISurrogateKernel =>
        ForEachChunk(neurons, steps, threads, (start, end) => BackwardRange(surrogate, buffers, steps, neurons, p, start, end));

    static void ForEachChunk(long neurons, int steps, int threads, Action<long, long> body)
    {
        long chunks = (neurons + ChunkNeurons - 1) / ChunkNeurons;
        if (threads <= 1 || chunks <= 1 || neurons * steps < ParallelThreshold)
        {
            body(0, neurons);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                     chunk => body(chunk * ChunkNeurons, Math.Min(neurons, (chunk + 1) * ChunkNeurons)));
    }

    static void ForwardRange(ForwardBuffers b, int steps, long n, LifKernelParameters p, long start, long end)
    {
        float* x = (float*)b.Input, v0 = (float*)b.InitialV, spikes = (float*)b.Spikes;
        float* vSeq = (float*)b.VoltageSequence, vLast = (float*)b.LastV;
        int width = Vector<float>.Count;
        long i = start;
        for (; i + width <= end; i += width)
        {
            var v = Vector.Load(v0 + i);
            for (int t = 0; t < steps; t++)
            {
                long o = t * n + i;
                var h = Charge(v, Vector.Load(x + o), p);
                var s = Spike(h, p);
                s.Store(spikes + o);
                v = Reset(h, s, p);
                if (vSeq != null) v.Store(vSeq + o);
            }
            v.Store(vLast + i);
        }
        for (; i < end; i++)
        {
            float v = v0[i];
            for (int t = 0; t < steps; t++)
            {
                long o = t * n + i;
                float h = Charge(v, x[o], p);
                float s = h - p.VThreshold >= 0f ? 1f : 0f;
                spikes[o] = s;
                v = Reset(h, s, p);
                if (vSeq != null) vSeq[o] = v;
            }
            vLast[i] = v;
        }
    }

    static void BackwardRange<TSurrogate>(TSurrogate surrogate, BackwardBuffers b, int steps, long n, LifKernelParameters p, long start, long end)
        where TSurrogate : struct, ISurrogateKernel
    {
        float* x = (float*)b.Input, v0 = (float*)b.InitialV, gradSpikes = (float*)b.GradSpikes, gradLastV = (float*)b.GradLastV;
        float* gradX = (float*)b.GradInput, gradV0 = (float*)b.GradInitialV;
        int width = Vector<float>.Count;
        var tau = new Vector<float>(p.Tau);
        Span<Vector<float>> history = steps <= StackHistorySteps ? stackalloc Vector<float>[steps] : new Vector<float>[steps];
        long i = start;
        for (; i + width <= end; i += width)
        {
            // replay the forward pass for these neurons: h_t, exactly as forward computed it
            var v = Vector.Load(v0 + i);
            for (int t = 0; t < steps; t++)
            {
                var h = Charge(v, Vector.Load(x + t * n + i), p);
                history[t] = h;
                v = Reset(h, Spike(h, p), p);
            }
            // gv: dL/dv_t, the post-reset membrane of step t, flowing back from step t+1 (or from the last-v output)
            var gv = gradLastV != null ? Vector.Load(gradLastV + i) : Vector<float>.Zero;
            for (int t = steps - 1; t >= 0; t--)
            {
                long o = t * n + i;
                var h = history[t];
                var u = h - new Vector<float>(p.VThreshold);
                var s = Spike(h, p);
                var gs = gradSpikes != null ? Vector.Load(gradSpikes + o) : Vector<float>.Zero;
                if (!p.DetachReset) gs += ResetGradientToSpike(gv, h, p);
                var gh = surrogate.Backward(gs, u) + (p.HardReset ? gv * (Vector<float>.One - s) : gv);
                var gStep = gh / tau;
                (p.DecayInput ? gStep : gh).Store(gradX + o);
                gv = gh - gStep;   // v_{t-1} feeds h_t directly and through the leak: gh + (-gh / tau)
            }
            if (gradV0 != null) gv.Store(gradV0 + i);
        }
        Span<float> scalarHistory = steps <= StackHistorySteps ? stackalloc float[steps] : new float[steps];
        for (; i < end; i++)
        {
            float v = v0[i];
            for (int t = 0; t < steps; t++)
            {
                float h = Charge(v, x[t * n + i], p);
                scalarHistory[t] = h;
                v = Reset(h, h - p.VThreshold >= 0f ? 1f : 0f, p);
            }
            float gv = gradLastV != null ? gradLastV[i] : 0f;
            for (int t = steps - 1; t >= 0; t--)
            {
                long o = t * n + i;
                float h = scalarHistory[t];
                float u = h - p.VThreshold;
                float s = u >= 0f ? 1f : 0f;
                float gs = gradSpikes != null ? gradSpikes[o] : 0f;
                if (!p.DetachReset) gs += ResetGradientToSpike(gv, h, p);
                float gh = surrogate.Backward(gs, u) + (p.HardReset ? gv * (1f - s) : gv);
                float gStep = gh / p.Tau;
                gradX[o] = p.DecayInput ? gStep : gh;
                gv = gh - gStep;
            }
            if (gradV0 != null) gradV0[i] = gv;
        }
    }

    /// <summary>Heaviside of h - v_th as 0/1 (fires at exactly the threshold, like the op-by-op path).</summary>
    static Vector<float> Spike(Vector<float> h, in LifKernelParameters p) =>
        Vector.ConditionalSelect(Vector.GreaterThanOrEqual(h - new Vector<float>(p.VThreshold), Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);

    /// <summary>h = charge(v, x) in the op-by-op order: v + (x - (v - v_r))/tau, or (v - (v - v_r)/tau) + x.</summary>
    static Vector<float> Charge(Vector<float> v, Vector<float> x, in LifKernelParameters p)
    {
        var leakTarget = p.ChargeSubtractsReset ? v - new Vector<float>(p.VReset) : v;
        var tau = new Vector<float>(p.Tau);
        return p.DecayInput ? v + (x - leakTarget) / tau : v - leakTarget / tau + x;
    }

    static float Charge(float v, float x, in LifKernelParameters p)
    {
        float leakTarget = p.ChargeSubtractsReset ? v - p.VReset : v;
        return p.DecayInput ? v + (x - leakTarget) / p.Tau : v - leakTarget / p.Tau + x;
    }

    /// <summary>Hard: h (1 - s) [+ s v_r]; soft: h - s v_th.</summary>
    static Vector<float> Reset(Vector<float> h, Vector<float> s, in LifKernelParameters p)
    {
        if (!p.HardReset) return h - s * p.VThreshold;
        var kept = h * (Vector<float>.One - s);
        return p.VReset == 0f ? kept : kept + s * p.VReset;
    }

    static float Reset(float h, float s, in LifKernelParameters p)
    {
        if (!p.HardReset) return h - s * p.VThreshold;
        float kept = h * (1f - s);
        return p.VReset == 0f ? kept : kept + s * p.VReset;
    }

    /// <summary>
    /// dL/ds through the reset when it is not detached: hard v = h(1 - s) + s v_r gives -gv h (+ gv v_r);
    /// soft v = h - s v_th gives -gv v_th.
    /// </summary>
    static Vector<float> ResetGradientToSpike(Vector<float> gv, Vector<float> h, in LifKernelParameters p)
    {
        if (!p.HardReset) return -gv * p.VThreshold;
        var throughKeep = -(gv * h);
        return p.VReset == 0f ? throughKeep : throughKeep + gv * p.VReset;
    }

    static float ResetGradientToSpike(float gv, float h, in LifKernelParameters p)
    {
        if (!p.HardReset) return -gv * p.VThreshold;
        float throughKeep = -(gv * h);
        return p.VReset == 0f ? throughKeep : throughKeep + gv * p.VReset;
    }
}
