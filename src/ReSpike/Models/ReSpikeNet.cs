using ReSpike.Autograd;
using ReSpike.Models.Backbones;
using ReSpike.Models.Fusion;
using ReSpike.Models.Layers;
using ReSpike.Models.Snn;
using ReSpike.Spiking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ReSpike.IO;

namespace ReSpike.Models;

/// <summary>
/// The ReSpike network. A clip [B, T, 3, H, W] (normalised) is cut into K = T/s groups of s frames; each group's
/// first frame (key) goes through the ANN, the signed residuals frame_j - key (j = 1..s-1) drive the SNN for
/// s-1 timesteps. After each SNN stage, cross-attention lets SNN tokens query the key frame's ANN tokens (after
/// stages 2-4 only in <see cref="FusionMode.Full3"/>, the reference's non-downsample mode).
/// Head: [ANN stage-4 ; time-mean SNN stage-4] -> global average pool -> one linear shared by the K segments ->
/// logits averaged over segments. Variants drop the fusion or a branch (<see cref="ModelVariant"/>); the ablation's
/// input routing (<see cref="AnnInput"/>, <see cref="SnnInput"/>) feeds a branch other frames: every routed ANN frame and
/// every SNN segment is one vote, and the logits are the mean of the votes (the paper's "average voting").
/// </summary>
public sealed class ReSpikeNet : VideoModel, ISegmentedModel
{
    /// <summary>The registered ReSpike-family models (<see cref="ReSpikePresets"/>), as registered in <see cref="ModelRegistry"/>.</summary>
    public static IReadOnlyList<ModelEntry> Registrations { get; } = ReSpikePresets.All.Select(Register).ToList();

    static ModelEntry Register(ReSpikePreset preset)
    {
        var (family, energy) = preset.Variant switch
        {
            ModelVariant.ReSpike => (ModelFamily.Hybrid, "ANN MAC + SNN AC x firing rate + fusion MAC"),
            ModelVariant.ReSpikeNoAttention => (ModelFamily.Hybrid, "ANN MAC + SNN AC x firing rate"),
            ModelVariant.Ann => (ModelFamily.Ann, "MAC"),
            _ => (ModelFamily.Snn, "SNN AC x firing rate (stem MAC)"),
        };
        return new(preset.Name, preset.Description, family, preset.InputsText(preset.Ann, preset.Snn), energy, config => new ReSpikeNet(config))
        {
            Validate = config => ValidateRouting(preset, config),
            ImageNetTrunk = preset.Variant.UsesAnn(),
        };
    }

    /// <summary>The inputs a config routes to the two branches: its model.ann_input / model.snn_input, else its preset's.</summary>
    public static (AnnInput Ann, SnnInput Snn) Routes(ReSpikeConfig config)
    {
        var preset = ReSpikePresets.Of(config.Name);
        return (config.AnnInput ?? preset.Ann, config.SnnInput ?? preset.Snn);
    }

    static void ValidateRouting(ReSpikePreset preset, ReSpikeConfig config)
    {
        var (annInput, snnInput) = Routes(config);
        bool usesAnn = preset.Variant.UsesAnn(), usesSnn = preset.Variant.UsesSnn();
        if (usesSnn && snnInput == SnnInput.Residual) RequireResiduals(config);
        if (usesAnn && annInput == AnnInput.Residual && config.Stride < 2)
            throw new ArgumentException($"--stride: model '{config.Name}' with ANN input 'residual' needs stride >= 2 (stride s gives s-1 residual frames), got {config.Stride}");
        if (usesAnn && usesSnn && annInput != AnnInput.Key)
            throw new ArgumentException($"model.ann_input: the hybrid model '{config.Name}' needs the ANN on key frames (its features are the SNN's per-group context), got '{annInput.Name()}'");
    }

    /// <summary>A spiking branch on residual frames needs at least one residual per key frame (stride >= 2).</summary>
    internal static void RequireResiduals(ReSpikeConfig config)
    {
        if (config.Stride < 2)
            throw new ArgumentException($"--stride: model '{config.Name}' needs stride >= 2 (stride s gives s-1 residual frames for the SNN), got {config.Stride}");
    }

    readonly ResNet? ann;
    readonly nn.Module<Tensor, Tensor>? snn;
    readonly ModuleList<SpatialTransformer>? fusions;
    readonly ModuleList<FusionGrid>? grids;
    readonly AdaptiveAvgPool2d avgpool;
    readonly Linear fc;

    public ReSpikeNet(ReSpikeConfig config) : base(nameof(ReSpikeNet), config)
    {
        Preset = ReSpikePresets.Of(config.Name);
        (AnnRoute, SnnRoute) = Routes(config);
        var annChannels = ResNet.ChannelsOf(config.Backbone);
        if (config.Variant.UsesAnn()) ann = ResNet.Create(config.Backbone);
        if (config.Variant.UsesSnn()) snn = Preset.Trunk == SpikingTrunkKind.SpikingResNet ? new SpikingResNet() : new MSResNet();
        if (config.Variant.UsesFusion())
        {
            fusions = nn.ModuleList(MSResNet.Widths.Zip(annChannels, (s, a) => new SpatialTransformer(s, a)).ToArray());
            grids = nn.ModuleList(Enumerable.Range(0, ResNetStages.Count).Select(i => new FusionGrid(PoolFactor(i))).ToArray());
        }
        avgpool = nn.AdaptiveAvgPool2d(1);
        long features = (ann is null ? 0 : annChannels[^1]) + (snn is null ? 0 : MSResNet.Widths[^1]);
        fc = nn.Linear(features, config.NumClasses);
        RegisterComponents();
        NormInitialization.Apply(this);
    }

    /// <summary>The registered model this network is (its branches, default inputs, trunk and loss).</summary>
    public ReSpikePreset Preset { get; }

    /// <summary>What the ANN branch sees (when there is one).</summary>
    public AnnInput AnnRoute { get; }

    /// <summary>What the SNN branch sees (when there is one).</summary>
    public SnnInput SnnRoute { get; }

    /// <summary>
    /// Training memory: run the fusion blocks again during backward instead of keeping their activations (the
    /// reference ReSpike checkpoints them too). Same gradients; about a quarter less activation memory for one
    /// extra forward of the fusions. Not part of the architecture, so not in <see cref="VideoModel.Config"/>. Turn it off to take
    /// gradients with torch.autograd.grad (the recompute accumulates parameter gradients into .grad, as
    /// torch.utils.checkpoint does).
    /// </summary>
    public bool RecomputeFusionInBackward { get; set; } = true;

    /// <summary>
    /// Inference (eval mode, no gradient recorded) runs both branches on channels-last feature maps (<see cref="Runtime.ChannelsLast"/>):
    /// the frames are converted once on entry and every layer keeps the layout. Same values, faster convolutions and
    /// pooling on the CPU. Training keeps the default layout: libtorch's convolution backward measured slower on
    /// channels-last here (docs/performance.md), and train-mode forwards without a gradient (threshold-tie probes in the
    /// parity check) must round exactly as the training step does. Not part of the architecture; off runs inference in
    /// the default layout.
    /// </summary>
    public bool ChannelsLastInference { get; set; } = true;

    /// <summary>The ANN trunk (torchvision names under "ann."), null for the SNN-only variant.</summary>
    public ResNet? Ann => ann;

    /// <inheritdoc/>
    public override ResNet? ImageNetTrunk => ann;
    /// <summary>The spiking trunk (MS-ResNet or spike-after-add ResNet), null for the ANN-only variants.</summary>
    public MSResNet? Snn => snn as MSResNet;

    /// <summary>The spiking trunk whatever its kind, null for the ANN-only variants.</summary>
    public ISpikingTrunk? SpikingTrunk => snn as ISpikingTrunk;

    /// <summary>Average-pool factor applied to stage i before fusion: stages 1-2 go to the stage-3 grid in pooled mode.</summary>
    public int PoolFactor(int stage) => Config.Fusion == FusionMode.Pooled ? ResNetStages.PoolFactorToFusionGrid(stage) : 1;

    /// <summary>The fusion block after SNN stage <paramref name="stage"/> (0-3); null when the variant has no fusion.</summary>
    public SpatialTransformer? Fusion(int stage) => fusions?[stage];

    /// <summary>
    /// Output stride of the token grid the fusion after stage <paramref name="stage"/> runs on: the stage's own stride
    /// times its pool factor (in pooled mode stages 1-3 share the stride-16 grid).
    /// </summary>
    public int FusionGridStride(int stage) => ResNetStages.OutputStrides[stage] * PoolFactor(stage);

    /// <summary>
    /// Whether the fusion block after SNN stage <paramref name="stage"/> (0-3) runs: always for the respike variant,
    /// except stage 0 in full3 mode (whose block is kept, as in the reference, but never called).
    /// </summary>
    public bool Fuses(int stage) => fusions is not null && Config.Fusion.FusesStage(stage);

    /// <summary>clip [B, T, 3, H, W] -> logits [B, classes].</summary>
    public override Tensor forward(Tensor clip)
    {
        using var perSegment = SegmentLogits(clip);
        return perSegment.mean([1]);
    }

    /// <inheritdoc/>
    public int SegmentFrames => Config.Stride;

    /// <inheritdoc/>
    public bool SegmentsIndependent => (ann is null || AnnRoute == AnnInput.Key) && (snn is null || SnnRoute == SnnInput.Residual);

    /// <summary>
    /// clip [B, T, 3, H, W] -> logits per vote [B, V, classes] (before averaging): V = K key-frame segments for ReSpike and
    /// the SNN-only models, the routed frames (K, T or K(s-1)) for the ANN-only ones. With <see cref="SegmentsIndependent"/>
    /// the K groups are a batch dimension of the ANN, the SNN (LIF state reset here) and the fusion, so a segment run alone
    /// gives the same logits as inside a clip.
    /// </summary>
    public Tensor SegmentLogits(Tensor clip)
    {
        CheckInput(clip);
        using var scope = torch.NewDisposeScope();
        long b = clip.shape[0];
        var pooledFeatures = new List<Tensor>(2);
        Tensor[]? annStages = null;
        if (ann is not null)
        {
            annStages = ann.Stages(AnnFrames(clip));
            pooledFeatures.Add(avgpool.call(annStages[3]).flatten(1));
        }
        if (snn is not null)
        {
            var snnOut = RunSnn(SnnSequence(clip), annStages, Segments(clip));
            pooledFeatures.Add(SegmentMeans(PooledPerTimestep(snnOut), clip));
        }
        var features = pooledFeatures.Count == 1 ? pooledFeatures[0] : torch.cat(pooledFeatures, 1);
        return fc.call(features).view(b, -1, Config.NumClasses).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SNN-only models: logits of every timestep [B, steps, classes] (TET's per-timestep outputs); their mean is
    /// <see cref="forward"/>'s logits. Residual input orders them by segment, then timestep.
    /// </summary>
    public Tensor TimestepLogits(Tensor clip)
    {
        if (snn is null || ann is not null)
            throw new InvalidOperationException($"model '{Config.Name}': per-timestep logits exist for the SNN-only models");
        CheckInput(clip);
        using var scope = torch.NewDisposeScope();
        long b = clip.shape[0];
        var perStep = fc.call(PooledPerTimestep(RunSnn(SnnSequence(clip), null, Segments(clip))));   // [steps, N, classes]
        var votes = SnnRoute == SnnInput.Residual
            ? perStep.view(perStep.shape[0], b, -1, Config.NumClasses).permute(1, 2, 0, 3).reshape(b, -1, Config.NumClasses)
            : perStep.transpose(0, 1);
        return votes.contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override (Tensor Logits, Tensor Loss) TrainingLoss(Tensor clips, Tensor labels)
    {
        if (Preset.Loss != TrainingLossKind.Tet) return base.TrainingLoss(clips, labels);
        var votes = TimestepLogits(clips);
        return (votes.mean([1]), TetLoss.Compute(votes, labels));
    }

    long Segments(Tensor clip) => clip.shape[1] / Config.Stride;

    /// <summary>The frames the ANN sees, [B*V, 3, H, W] ordered clip by clip.</summary>
    Tensor AnnFrames(Tensor clip)
    {
        long b = clip.shape[0], t = clip.shape[1], c = clip.shape[2], h = clip.shape[3], w = clip.shape[4];
        long s = Config.Stride, k = t / s;
        var groups = clip.view(b, k, s, c, h, w);
        return InFeatureLayout(AnnRoute switch
        {
            AnnInput.Key => groups.select(2, 0).reshape(b * k, c, h, w),
            AnnInput.All => clip.reshape(b * t, c, h, w),
            _ => (groups.narrow(2, 1, s - 1) - groups.narrow(2, 0, 1)).reshape(b * k * (s - 1), c, h, w),
        });
    }

    /// <summary>A branch's input frames in the layout the branches run on (<see cref="ChannelsLastInference"/>).</summary>
    Tensor InFeatureLayout(Tensor frames) =>
        ChannelsLastInference && !training && !torch.is_grad_enabled() ? Runtime.ChannelsLast.From(frames) : frames;

    /// <summary>
    /// The SNN's input, time-major: residuals [s-1, B*K, 3, H, W] (one sequence per group), RGB frames [T, B, ...] or key
    /// frames [K, B, ...] (one sequence per clip).
    /// </summary>
    Tensor SnnSequence(Tensor clip)
    {
        long b = clip.shape[0], t = clip.shape[1], c = clip.shape[2], h = clip.shape[3], w = clip.shape[4];
        long s = Config.Stride, k = t / s;
        var groups = clip.view(b, k, s, c, h, w);
        return InFeatureLayout(SnnRoute switch
        {
            SnnInput.Residual => Residuals(groups),
            SnnInput.Rgb => clip.transpose(0, 1).contiguous(),
            _ => groups.select(2, 0).transpose(0, 1).contiguous(),
        });
    }

    /// <summary>SNN output [steps, N, C, h, w] -> globally pooled features per timestep [steps, N, C].</summary>
    Tensor PooledPerTimestep(Tensor snnOut) =>
        avgpool.call(snnOut.flatten(0, 1)).flatten(1).unflatten(0, [snnOut.shape[0], snnOut.shape[1]]);

    /// <summary>Per-timestep features [steps, N, C] -> the mean over each key-frame segment's timesteps [B*K, C].</summary>
    Tensor SegmentMeans(Tensor perStep, Tensor clip)
    {
        if (SnnRoute == SnnInput.Residual) return perStep.mean([0]);
        long k = Segments(clip), steps = perStep.shape[0], b = perStep.shape[1];
        return perStep.view(k, steps / k, b, -1).mean([1]).transpose(0, 1).reshape(b * k, -1);
    }

    /// <summary>Runs the spiking branch over all timesteps, stage by stage, fusing with the ANN stages when present.</summary>
    Tensor RunSnn(Tensor sequence, Tensor[]? annStages, long segments)
    {
        Functional.ResetNet(snn!);
        var trunk = (ISpikingTrunk)snn!;
        var y = trunk.Stem(sequence);
        for (int stage = 0; stage < ResNetStages.Count; stage++)
        {
            y = trunk.Stage(stage, y);
            if (Fuses(stage)) y = SnnRoute == SnnInput.Residual ? Fuse(stage, y, annStages![stage]) : FuseSequence(stage, y, annStages![stage], segments);
        }
        return y;
    }

    /// <summary>
    /// Fusion when the SNN runs one sequence per clip [K*g, B, ...]: timestep j of segment k attends to key frame k, so the
    /// sequence is cut into its segments [g, B*K, ...] for <see cref="Fuse"/> and put back together afterwards.
    /// </summary>
    Tensor FuseSequence(int stage, Tensor y, Tensor annFeatures, long k)
    {
        long steps = y.shape[0], b = y.shape[1], c = y.shape[2], h = y.shape[3], w = y.shape[4], g = steps / k;
        var bySegment = y.view(k, g, b, c, h, w).permute(1, 2, 0, 3, 4, 5).reshape(g, b * k, c, h, w);
        var fused = Fuse(stage, bySegment, annFeatures);
        return fused.reshape(g, b, k, c, h, w).permute(2, 0, 1, 3, 4, 5).reshape(steps, b, c, h, w);
    }

    /// <summary>y [T, N, C, h, w] fused with the key frame's ANN features [N, Ca, h, w].</summary>
    Tensor Fuse(int stage, Tensor y, Tensor annFeatures) =>
        StageFusion.Fuse(fusions![stage], grids![stage], y, annFeatures, RecomputeFusionInBackward);

    /// <summary>
    /// The spiking branch's input from key-frame groups [B, K, s, C, H, W]: residual_j = frame_j - key (j = 1..s-1),
    /// laid out time-major [s-1, B*K, C, H, W] for multi-step layers.
    /// </summary>
    internal static Tensor Residuals(Tensor groups)
    {
        long b = groups.shape[0], k = groups.shape[1], s = groups.shape[2];
        return (groups.narrow(2, 1, s - 1) - groups.narrow(2, 0, 1)).permute(2, 0, 1, 3, 4, 5).reshape(s - 1, b * k, groups.shape[3], groups.shape[4], groups.shape[5]);
    }

    void CheckInput(Tensor clip) => CheckClip(clip, Config);

    /// <summary>A hybrid's input check: a clip [B, T, 3, H, W] whose frames cut into key-frame groups and whose sides fit the fusion grid.</summary>
    internal static void CheckClip(Tensor clip, ReSpikeConfig config)
    {
        if (clip.dim() != 5 || clip.shape[2] != 3)
            throw new ArgumentException($"expected a clip [B, T, 3, H, W], got {ShapeText.Format(clip.shape)}");
        if (clip.shape[1] % config.Stride != 0)
            throw new ArgumentException($"clip has {clip.shape[1]} frames, not a multiple of the stride {config.Stride} (--frames / --stride)");
        int multiple = ResNetStages.InputMultiple;
        if (clip.shape[3] % multiple != 0 || clip.shape[4] % multiple != 0)
            throw new ArgumentException($"clip frames are {clip.shape[3]}x{clip.shape[4]} px; both sides must be multiples of {multiple} (--image)");
    }
}
