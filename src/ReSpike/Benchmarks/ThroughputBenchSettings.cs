using ReSpike.Models;
using TorchSharp;
using ReSpike.Spiking.Layers;
using ReSpike.Spiking.Neurons;

namespace ReSpike.Benchmarks;

/// <summary>What <see cref="ThroughputBench"/> measures: the same knobs as the reference's `respike_ref.py bench`.</summary>
public sealed record ThroughputBenchSettings
{
    /// <summary>The architecture; with <see cref="Checkpoint"/> its config replaces this one.</summary>
    public required ReSpikeConfig Model { get; init; }
    /// <summary>Trained weights (a checkpoint) instead of a fresh seeded initialisation.</summary>
    public string? Checkpoint { get; init; }
    /// <summary>
    /// Real clips [Batch, T, 3, H, W] (normalised, as the data pipeline gives them) instead of standard-normal noise:
    /// with trained weights they give the network its real firing rates. The caller keeps ownership.
    /// </summary>
    public torch.Tensor? Clips { get; init; }
    /// <summary>What <see cref="Clips"/> are, for the report (e.g. "4 test clips of weizmann4").</summary>
    public string? ClipsDescription { get; init; }
    /// <summary>Clips per step.</summary>
    public int Batch { get; init; } = 2;
    /// <summary>Timed steps.</summary>
    public int Steps { get; init; } = 3;
    /// <summary>Untimed steps first (the reference runs one).</summary>
    public int Warmup { get; init; } = 1;
    /// <summary>Time SGD training steps (momentum 0.9, weight decay 1e-4, cross-entropy on random labels) instead of inference.</summary>
    public bool Train { get; init; }
    public int Seed { get; init; } = 1001;
    /// <summary>How the spiking neurons run their timesteps (fused kernel when applicable, or forced op-by-op).</summary>
    public LifKernel LifKernel { get; init; } = LifKernel.Auto;
    /// <summary>How the spike-input convolutions compute (event-driven at inference when it pays, or forced).</summary>
    public SpikeConvolution SpikeConvolution { get; init; } = SpikeConvolution.Auto;
    /// <summary>Inference on channels-last feature maps (the default; ReSpike's hybrids), or false for the contiguous layout.</summary>
    public bool ChannelsLast { get; init; } = true;
    /// <summary>Training steps keep only the spiking layers' input spikes and recompute the layers in backward (--recompute-spike-layers).</summary>
    public bool RecomputeSpikeLayers { get; init; }

    public ThroughputBenchSettings Validate()
    {
        Model.Validate();
        if (Batch < 1) throw new ArgumentException($"--batch: need at least 1 clip per step, got {Batch}");
        if (Steps < 1) throw new ArgumentException($"--steps: need at least 1 timed step, got {Steps}");
        if (Warmup < 0) throw new ArgumentException($"--warmup: must be >= 0, got {Warmup}");
        if (Clips is { } clips && clips.shape[0] != Batch)
            throw new ArgumentException($"--batch: {Batch} clips per step, but {clips.shape[0]} real clips were given");
        return this;
    }
}
