namespace ReSpike.Benchmarks;

/// <summary>
/// One `bench` run. Serialised snake_case: clips_per_s, s_per_step and peak_rss_mb are the CLI contract's fields;
/// the others describe the configuration the same way the reference's bench JSON does, plus what ran: the weights
/// (random or a checkpoint), the input (noise or real clips) and the firing rate they give (spikes per neuron and timestep);
/// recompute_spike_layers: training steps recomputed the spiking layers in backward.
/// </summary>
public sealed record ThroughputBenchReport(
    string Impl,
    string Mode,
    string Model,
    string Backbone,
    int Image,
    int Frames,
    int Stride,
    int Batch,
    int Threads,
    int Steps,
    int Warmup,
    double SPerStep,
    double ClipsPerS,
    double? PeakRssMb,
    double[] StepSeconds,
    string Weights,
    string Input,
    double? FiringRate,
    string LifKernel,
    string SpikeConvolution,
    string Allocator,
    string Layout,
    bool RecomputeSpikeLayers = false);
