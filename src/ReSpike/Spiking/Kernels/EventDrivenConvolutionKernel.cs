using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ReSpike.Spiking.Kernels;

/// <summary>Shape and hyper-parameters of one 2-D convolution call (no dilation, one group).</summary>
internal readonly record struct ConvGeometry(
    long Samples, long InChannels, long Height, long Width, long OutChannels,
    long KernelHeight, long KernelWidth, long StrideY, long StrideX, long PadY, long PadX)
{
    public long OutHeight => (Height + 2 * PadY - KernelHeight) / StrideY + 1;
    public long OutWidth => (Width + 2 * PadX - KernelWidth) / StrideX + 1;
}

/// <summary>
/// Event-driven convolution (how spiking hardware computes): instead of multiplying every weight with every input,
/// it visits only the non-zero inputs and adds their weight column (scaled by the input, 1 for a spike) into the
/// outputs they reach. Work is proportional to the input's firing rate. Layout: input [N, C_in, H, W]; weights
/// transposed to [C_in, kh, kw, C_out] so each column is contiguous; each sample accumulates channels-last
/// [H_out, W_out, C_out] so each column lands on contiguous memory (every event is a SIMD add over C_out floats),
/// then is transposed into the [N, C_out, H_out, W_out] output. Samples run in parallel when the work pays for it.
/// Sums run in another order than a dense convolution's, so results agree to float rounding, not bit for bit.
/// </summary>
internal static unsafe class EventDrivenConvolutionKernel
{
    /// <summary>Below this many column adds (events x taps x C_out) one thread is cheaper than waking another.</summary>
    const double ParallelThreshold = 4e6;

    /// <param name="input">[N, C_in, H, W] contiguous float32.</param>
    /// <param name="columns">[C_in, kh, kw, C_out] contiguous float32.</param>
    /// <param name="output">[N, C_out, H_out, W_out] contiguous float32 (every element is written).</param>
    /// <param name="events">Non-zero inputs, to decide whether a second thread pays.</param>
    public static void Run(nint input, nint columns, nint output, ConvGeometry g, long events, int threads)
    {
        var rows = Taps(g.Height, g.KernelHeight, g.StrideY, g.PadY, g.OutHeight);
        var cols = Taps(g.Width, g.KernelWidth, g.StrideX, g.PadX, g.OutWidth);
        long scratchLength = g.OutHeight * g.OutWidth * g.OutChannels;
        double work = (double)events * g.KernelHeight * g.KernelWidth * g.OutChannels / (g.StrideY * g.StrideX);
        // scratch is native memory: managed buffers this size would land on the large-object heap and trigger gen-2 collections
        if (threads <= 1 || g.Samples == 1 || work < ParallelThreshold)
        {
            var scratch = (float*)NativeMemory.Alloc((nuint)scratchLength, sizeof(float));
            try { for (long n = 0; n < g.Samples; n++) Sample(input, columns, output, g, rows, cols, n, scratch, scratchLength); }
            finally { NativeMemory.Free(scratch); }
            return;
        }
        Parallel.For(0, g.Samples, new ParallelOptions { MaxDegreeOfParallelism = threads },
                     () => (nint)NativeMemory.Alloc((nuint)scratchLength, sizeof(float)),
                     (n, _, scratch) => { Sample(input, columns, output, g, rows, cols, n, (float*)scratch, scratchLength); return scratch; },
                     scratch => NativeMemory.Free((void*)scratch));
    }

    /// <summary>
    /// The same convolution on channels-last memory: input [N, H, W, C_in] and output [N, H_out, W_out, C_out] (NHWC,
    /// i.e. [N, C, H, W] tensors in channels-last order). Each sample accumulates straight into its output, which is
    /// already the layout the event loop writes, so there is no scratch and no transpose.
    /// </summary>
    public static void RunChannelsLast(nint input, nint columns, nint output, ConvGeometry g, long events, int threads)
    {
        var rows = Taps(g.Height, g.KernelHeight, g.StrideY, g.PadY, g.OutHeight);
        var cols = Taps(g.Width, g.KernelWidth, g.StrideX, g.PadX, g.OutWidth);
        double work = (double)events * g.KernelHeight * g.KernelWidth * g.OutChannels / (g.StrideY * g.StrideX);
        if (threads <= 1 || g.Samples == 1 || work < ParallelThreshold)
        {
            for (long n = 0; n < g.Samples; n++) SampleChannelsLast(input, columns, output, g, rows, cols, n);
            return;
        }
        Parallel.For(0, g.Samples, new ParallelOptions { MaxDegreeOfParallelism = threads },
                     n => SampleChannelsLast(input, columns, output, g, rows, cols, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SampleChannelsLast(nint input, nint columns, nint output, ConvGeometry g, int[][] rows, int[][] cols, long n)
    {
        long cin = g.InChannels, cout = g.OutChannels, taps = g.KernelHeight * g.KernelWidth * cout;
        long outLength = g.OutHeight * g.OutWidth * cout;
        float* target = (float*)output + n * outLength;
        NativeMemory.Clear(target, (nuint)(outLength * sizeof(float)));
        float* sample = (float*)input + n * g.Height * g.Width * cin;
        for (long y = 0; y < g.Height; y++)
        {
            var rowTaps = rows[y];
            for (long x = 0; x < g.Width; x++)
            {
                float* pixel = sample + (y * g.Width + x) * cin;
                var colTaps = cols[x];
                long c = 0;
                // skip zeros eight channels at a time; visit the set lanes of each non-zero block
                for (; c + 8 <= cin; c += 8)
                {
                    uint active = ~Vector256.Equals(Vector256.Load(pixel + c), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu;
                    while (active != 0)
                    {
                        long lane = c + BitOperations.TrailingZeroCount(active);
                        Scatter(target, (float*)columns + lane * taps, g, rowTaps, colTaps, pixel[lane]);
                        active &= active - 1;
                    }
                }
                for (; c < cin; c++)
                    if (pixel[c] != 0f) Scatter(target, (float*)columns + c * taps, g, rowTaps, colTaps, pixel[c]);
            }
        }
    }

    /// <summary>
    /// For every input coordinate, the (kernel tap, output coordinate) pairs it reaches along one axis, computed once
    /// per call so the event loop does no division: taps[i] lists pairs as k0, o0, k1, o1, ...
    /// </summary>
    static int[][] Taps(long size, long kernel, long stride, long pad, long outSize)
    {
        var taps = new int[size][];
        var pairs = new List<int>();
        for (long i = 0; i < size; i++)
        {
            pairs.Clear();
            for (long k = 0; k < kernel; k++)
            {
                long scaled = i + pad - k;
                if (scaled < 0 || scaled % stride != 0 || scaled / stride >= outSize) continue;
                pairs.Add((int)k);
                pairs.Add((int)(scaled / stride));
            }
            taps[i] = [.. pairs];
        }
        return taps;
    }

    /// <summary>
    /// One sample: events accumulate into a channels-last scratch (one thread's, small enough for L2), which is then
    /// transposed into the sample's [C_out, H_out, W_out] output.
    /// </summary>
    // optimised from the first call: a bench or a single prediction never runs long enough for tiering to reach these loops
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Sample(nint input, nint columns, nint output, ConvGeometry g, int[][] rows, int[][] cols, long n, float* scratch, long scratchLength)
    {
        NativeMemory.Clear(scratch, (nuint)(scratchLength * sizeof(float)));
        Accumulate(input, columns, g, rows, cols, n, scratch);
        long pixels = g.OutHeight * g.OutWidth, cout = g.OutChannels;
        float* target = (float*)output + n * cout * pixels;
        for (long c = 0; c < cout; c++)
        {
            float* channel = target + c * pixels;
            for (long p = 0; p < pixels; p++) channel[p] = scratch[p * cout + c];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Accumulate(nint input, nint columns, ConvGeometry g, int[][] rows, int[][] cols, long n, float* outSample)
    {
        long plane = g.Height * g.Width, cout = g.OutChannels;
        for (long ci = 0; ci < g.InChannels; ci++)
        {
            float* inPlane = (float*)input + (n * g.InChannels + ci) * plane;
            float* weights = (float*)columns + ci * g.KernelHeight * g.KernelWidth * cout;
            for (long y = 0; y < g.Height; y++)
            {
                float* row = inPlane + y * g.Width;
                var rowTaps = rows[y];
                long x = 0;
                // skip zeros eight at a time; visit the set lanes of each non-zero block
                for (; x + 8 <= g.Width; x += 8)
                {
                    uint active = ~Vector256.Equals(Vector256.Load(row + x), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu;
                    while (active != 0)
                    {
                        long lane = BitOperations.TrailingZeroCount(active);
                        Scatter(outSample, weights, g, rowTaps, cols[x + lane], row[x + lane]);
                        active &= active - 1;
                    }
                }
                for (; x < g.Width; x++)
                    if (row[x] != 0f) Scatter(outSample, weights, g, rowTaps, cols[x], row[x]);
            }
        }
    }

    /// <summary>Adds value x weight column (ky, kx) into every output the input reaches (its row and column taps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    static void Scatter(float* outSample, float* weights, ConvGeometry g, int[] rowTaps, int[] colTaps, float value)
    {
        long cout = g.OutChannels;
        for (int r = 0; r < rowTaps.Length; r += 2)
        {
            long ky = rowTaps[r], oy = rowTaps[r + 1];
            for (int c = 0; c < colTaps.Length; c += 2)
            {
                long kx = colTaps[c], ox = colTaps[c + 1];
                float* target = outSample + (oy * g.OutWidth + ox) * cout;
                float* column = weights + (ky * g.KernelWidth + kx) * cout;
                if (value == 1f) Add(target, column, cout); else AddScaled(target, column, value, cout);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Add(float* target, float* column, long count)
    {
        long i = 0;
        for (; i + 8 <= count; i += 8) (Vector256.Load(target + i) + Vector256.Load(column + i)).Store(target + i);
        for (; i < count; i++) target[i] += column[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AddScaled(float* target, float* column, float value, long count)
    {
        var scale = Vector256.Create(value);
        long i = 0;
        for (; i + 8 <= count; i += 8) (Vector256.Load(target + i) + Vector256.Load(column + i) * scale).Store(target + i);
        for (; i < count; i++) target[i] += column[i] * value;
    }
}
