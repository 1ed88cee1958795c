using ReSpike.Models.Backbones;
using ReSpike.Models.Fusion;
using ReSpike.Models.Layers;
using ReSpike.Models.SpikingResformer;
using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models;

/// <summary>
/// ReSpike with a SpikingResformer as its spiking branch (in neither paper): the clip is cut into K = T/s groups of s
/// frames as in <see cref="ReSpikeNet"/>; each key frame goes through the ANN ResNet, the s-1 signed residuals drive a
/// SpikingResformer (ImageNet stem, three stages of DSSA + GWFFN blocks, LIF) for s-1 timesteps. SpikingResformer
/// stage i sits at stride 4·2^i, the resolution of ANN layer i+1, so after each of its three stages cross-attention
/// (ReSpike's <see cref="SpatialTransformer"/>) lets its tokens query the key frame's layer i+1 tokens, on the same
/// fusion grids as ReSpike (pooled: strides 4 and 8 pooled to stride 16). ANN layer4 (stride 32) has no spiking
/// partner and is not fused. Head as ReSpike's: [ANN layer4 ; time-mean SpikingResformer stage 3] -> global average
/// pool -> one linear shared by the K segments -> logits averaged over segments. docs/spikingresformer.md.
/// </summary>
public sealed class ReSpikeSrfNet : VideoModel
{
    /// <summary>The SpikingResformer variants with a stride-4 stem, whose stages line up with ResNet layers 1-3.</summary>
    static readonly string[] Sizes = ["ti", "s", "m", "l"];

    /// <summary>respike-srf-{ti,s,m,l}: the hybrid with the official SpikingResformer-{Ti,S,M,L} trunk.</summary>
    public static IReadOnlyList<ModelEntry> Registrations { get; } = Sizes.Select(size =>
    {
        var spec = SpikingResformerVariants.Specs[$"spikingresformer-{size}"];
        return new ModelEntry($"respike-srf-{size}",
            $"ReSpike with a SpikingResformer-{size.ToUpperInvariant()} spiking branch (widths {string.Join("/", spec.Widths)}) on residuals, fused with ResNet layers 1-3 (ours)",
            ModelFamily.Hybrid, "key frames + residuals", "ANN MAC + SNN AC x firing rate + fusion MAC",
            config => new ReSpikeSrfNet(config, spec))
        {
            Validate = ReSpikeNet.RequireResiduals,
            ImageNetTrunk = true,
        };
    }).ToList();

    readonly ResNet ann;
    readonly SpikingResformerBranch snn;
    readonly ModuleList<SpatialTransformer> fusions;
    readonly ModuleList<FusionGrid> grids;
    readonly AdaptiveAvgPool2d avgpool;
    readonly Linear fc;

    public ReSpikeSrfNet(ReSpikeConfig config, SpikingResformerSpec spec) : base(nameof(ReSpikeSrfNet), config)
    {
        if (spec.Stem != SrfStem.ImageNet || spec.Stages != ResNetStages.Count - 1)
            throw new ArgumentException($"{config.Name}: the spiking branch must have the ImageNet stem and {ResNetStages.Count - 1} stages to line up with ResNet layers 1-{ResNetStages.Count - 1}");
        var annChannels = ResNet.ChannelsOf(config.Backbone);
        ann = ResNet.Create(config.Backbone);
        snn = new SpikingResformerBranch(spec, config.ImageSize);
        fusions = nn.ModuleList(Enumerable.Range(0, spec.Stages).Select(i => new SpatialTransformer(spec.Widths[i], annChannels[i])).ToArray());
        grids = nn.ModuleList(Enumerable.Range(0, spec.Stages).Select(i => new FusionGrid(PoolFactor(i))).ToArray());
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(annChannels[^1] + spec.Widths[^1], config.NumClasses);
        RegisterComponents();
        NormInitialization.Apply(this);
    }

    /// <summary>Recompute the fusion blocks in backward instead of keeping their activations (as <see cref="ReSpikeNet.RecomputeFusionInBackward"/>).</summary>
    public bool RecomputeFusionInBackward { get; set; } = true;

    /// <summary>The ANN trunk (torchvision names under "ann.").</summary>
    public ResNet Ann => ann;

    /// <inheritdoc/>
    public override ResNet? ImageNetTrunk => ann;

    /// <summary>The spiking branch (official SpikingResformer names under "snn.").</summary>
    public SpikingResformerBranch Snn => snn;

    /// <summary>Average-pool factor applied to spiking stage i (and ANN layer i+1) before fusion, as <see cref="ReSpikeNet.PoolFactor"/>.</summary>
    public int PoolFactor(int stage) => Config.Fusion == FusionMode.Pooled ? ResNetStages.PoolFactorToFusionGrid(stage) : 1;

    /// <summary>Whether the fusion after spiking stage <paramref name="stage"/> (0-2) runs (all but stage 0 in full3 mode).</summary>
    public bool Fuses(int stage) => Config.Fusion.FusesStage(stage);

    /// <summary>clip [B, T, 3, H, W] -> logits [B, classes].</summary>
    public override Tensor forward(Tensor clip)
    {
        using var perSegment = SegmentLogits(clip);
        return perSegment.mean([1]);
    }

    /// <summary>clip [B, T, 3, H, W] -> logits per key-frame segment [B, K, classes] (before averaging).</summary>
    public Tensor SegmentLogits(Tensor clip)
    {
        ReSpikeNet.CheckClip(clip, Config);
        using var scope = torch.NewDisposeScope();
        long b = clip.shape[0], t = clip.shape[1], c = clip.shape[2], h = clip.shape[3], w = clip.shape[4];
        long s = Config.Stride, k = t / s;
        var groups = clip.view(b, k, s, c, h, w);

        var annStages = ann.Stages(groups.select(2, 0).reshape(b * k, c, h, w));
        var annFeatures = avgpool.call(annStages[^1]).flatten(1);

        Functional.ResetNet(snn);
        var y = snn.Stem(ReSpikeNet.Residuals(groups));
        for (int stage = 0; stage < snn.Spec.Stages; stage++)
        {
            y = snn.Stage(stage, y);
            if (Fuses(stage)) y = StageFusion.Fuse(fusions[stage], grids[stage], y, annStages[stage], RecomputeFusionInBackward);
        }
        // global pool per timestep, then mean over timesteps
        var snnFeatures = avgpool.call(y.flatten(0, 1)).flatten(1).unflatten(0, [s - 1, b * k]).mean([0]);
        return fc.call(torch.cat([annFeatures, snnFeatures], 1)).view(b, k, -1).MoveToOuterDisposeScope();
    }
}
