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
/// logits averaged over segments. Variants drop the fusion or a branch (<see cref="ModelVariant"/>).
/// </summary>
public sealed class ReSpikeNet : VideoModel, ISegmentedModel
{
    /// <summary>The four variants of the paper's ablation, as registered in <see cref="ModelRegistry"/>.</summary>
    public static IReadOnlyList<ModelEntry> Registrations { get; } =
    [
        Register(ModelVariant.ReSpike, "ReSpike: ANN on key frames + SNN on residuals + cross-attention fusion at four scales",
              ModelFamily.Hybrid, "key frames + residuals", "ANN MAC + SNN AC x firing rate + fusion MAC"),
        Register(ModelVariant.ReSpikeNoAttention, "ReSpike without fusion: the two branches meet only at the head",
              ModelFamily.Hybrid, "key frames + residuals", "ANN MAC + SNN AC x firing rate"),
        Register(ModelVariant.Ann, "the ANN branch alone: ResNet on key frames, averaged over segments",
              ModelFamily.Ann, "key frames", "MAC"),
        Register(ModelVariant.Snn, "the spiking branch alone: MS-ResNet on residual frames",
              ModelFamily.Snn, "residuals", "SNN AC x firing rate (stem MAC)"),
    ];

    static ModelEntry Register(ModelVariant variant, string description, ModelFamily family, string inputs, string energy) =>
        new(variant.Name(), description, family, inputs, energy, config => new ReSpikeNet(config))
        {
            Validate = variant.UsesSnn() ? RequireResiduals : null,
            ImageNetTrunk = variant.UsesAnn(),
        };

    static void RequireResiduals(ReSpikeConfig config)
    {
        if (config.Stride < 2)
            throw new ArgumentException($"--stride: model '{config.Name}' needs stride >= 2 (stride s gives s-1 residual frames for the SNN), got {config.Stride}");
    }

    readonly ResNet? ann;
    readonly MSResNet? snn;
    readonly ModuleList<SpatialTransformer>? fusions;
    readonly ModuleList<FusionGrid>? grids;
    readonly AdaptiveAvgPool2d avgpool;
    readonly Linear fc;

    public ReSpikeNet(ReSpikeConfig config) : base(nameof(ReSpikeNet), config)
    {
        var annChannels = ResNet.ChannelsOf(config.Backbone);
        if (config.Variant.UsesAnn()) ann = ResNet.Create(config.Backbone);
        if (config.Variant.UsesSnn()) snn = new MSResNet();
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

    /// <summary>
    /// Training memory: run the fusion blocks again during backward instead of keeping their activations (the
    /// reference ReSpike checkpoints them too). Same gradients; about a quarter less activation memory for one
    /// extra forward of the fusions. Not part of the architecture, so not in <see cref="VideoModel.Config"/>. Turn it off to take
    /// gradients with torch.autograd.grad (the recompute accumulates parameter gradients into .grad, as
    /// torch.utils.checkpoint does).
    /// </summary>
    public bool RecomputeFusionInBackward { get; set; } = true;

    /// <summary>The ANN trunk (torchvision names under "ann."), null for the SNN-only variant.</summary>
    public ResNet? Ann => ann;

    /// <inheritdoc/>
    public override ResNet? ImageNetTrunk => ann;
    public MSResNet? Snn => snn;

    /// <summary>Average-pool factor applied to stage i before fusion: stages 1-2 go to the stage-3 grid in pooled mode.</summary>
    public int PoolFactor(int stage) => Config.Fusion == FusionMode.Pooled ? ResNetStages.PoolFactorToFusionGrid(stage) : 1;

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

    /// <summary>
    /// clip [B, T, 3, H, W] -> logits per key-frame segment [B, K, classes] (before averaging). Segments never see each
    /// other: the K groups are a batch dimension of the ANN, the SNN (LIF state reset here) and the fusion, so a segment
    /// run alone gives the same logits as inside a clip.
    /// </summary>
    public Tensor SegmentLogits(Tensor clip)
    {
        CheckInput(clip);
        using var scope = torch.NewDisposeScope();
        long b = clip.shape[0], t = clip.shape[1], c = clip.shape[2], h = clip.shape[3], w = clip.shape[4];
        long s = Config.Stride, k = t / s;
        var groups = clip.view(b, k, s, c, h, w);

        var pooledFeatures = new List<Tensor>(2);
        Tensor[]? annStages = null;
        if (ann is not null)
        {
            var keys = groups.select(2, 0).reshape(b * k, c, h, w);
            annStages = ann.Stages(keys);
            pooledFeatures.Add(avgpool.call(annStages[3]).flatten(1));
        }
        if (snn is not null)
        {
            // residual_j = frame_j - key, laid out time-major [s-1, B*K, C, H, W] for multi-step layers
            var residuals = (groups.narrow(2, 1, s - 1) - groups.narrow(2, 0, 1)).permute(2, 0, 1, 3, 4, 5).reshape(s - 1, b * k, c, h, w);
            var snnOut = RunSnn(residuals, annStages);
            // global pool per timestep, then mean over timesteps
            pooledFeatures.Add(avgpool.call(snnOut.flatten(0, 1)).flatten(1).unflatten(0, [s - 1, b * k]).mean([0]));
        }
        var features = pooledFeatures.Count == 1 ? pooledFeatures[0] : torch.cat(pooledFeatures, 1);
        return fc.call(features).view(b, k, -1).MoveToOuterDisposeScope();
    }

    /// <summary>Runs the spiking branch over all timesteps, stage by stage, fusing with the ANN stages when present.</summary>
    Tensor RunSnn(Tensor residuals, Tensor[]? annStages)
    {
        Functional.ResetNet(snn!);
        var y = snn!.Stem(residuals);
        for (int stage = 0; stage < ResNetStages.Count; stage++)
        {
            y = snn.Stage(stage, y);
            if (Fuses(stage)) y = Fuse(stage, y, annStages![stage]);
        }
        return y;
    }

    /// <summary>y [T, N, C, h, w] fused with the key frame's ANN features [N, Ca, h, w].</summary>
    Tensor Fuse(int stage, Tensor y, Tensor annFeatures)
    {
        var grid = grids![stage];
        long steps = y.shape[0], n = y.shape[1];
        var context = grid.Context(annFeatures);
        var attended = Attend(stage, grid.Down(y.flatten(0, 1)), context);
        return grid.Up(attended).unflatten(0, [steps, n]);
    }

    /// <summary>One fusion block, recomputed in backward when training memory is to be saved.</summary>
    Tensor Attend(int stage, Tensor x, Tensor context)
    {
        var block = fusions![stage];
        bool recompute = RecomputeFusionInBackward && torch.is_grad_enabled() && (x.requires_grad || context.requires_grad);
        return recompute ? RecomputeInBackward.Run(block.call, x, context) : block.call(x, context);
    }

    void CheckInput(Tensor clip)
    {
        if (clip.dim() != 5 || clip.shape[2] != 3)
            throw new ArgumentException($"expected a clip [B, T, 3, H, W], got {ShapeText.Format(clip.shape)}");
        if (clip.shape[1] % Config.Stride != 0)
            throw new ArgumentException($"clip has {clip.shape[1]} frames, not a multiple of the stride {Config.Stride} (--frames / --stride)");
        int multiple = ResNetStages.InputMultiple;
        if (clip.shape[3] % multiple != 0 || clip.shape[4] % multiple != 0)
            throw new ArgumentException($"clip frames are {clip.shape[3]}x{clip.shape[4]} px; both sides must be multiples of {multiple} (--image)");
    }
}
