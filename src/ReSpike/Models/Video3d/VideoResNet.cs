using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// torchvision.models.video's VideoResNet (R3D-18, MC3-18, R(2+1)D-18; Tran et al. 2018) with its parameter names
/// (stem.*, layer1..4.{0,1}.conv1.0.*, ..., fc.*), so torchvision's Kinetics-400 state dicts load by name. The whole
/// clip is one spatio-temporal volume: clip [B, T, 3, H, W] (pipeline-normalised) → Kinetics statistics, [B, 3, T, H, W]
/// → stem → four stages → global average pool → fc. Initialised as torchvision: Kaiming-normal (fan_out, ReLU) convs,
/// BN 1/0, fc normal(0, 0.01) with zero bias.
/// </summary>
public sealed class VideoResNet : VideoModel
{
    /// <summary>The three torchvision video ResNets, as registered in <see cref="ModelRegistry"/>.</summary>
    public static IReadOnlyList<ModelEntry> Registrations { get; } = VideoResNetDesign.All
        .Select(d => new ModelEntry(d.Name, d.Description, ModelFamily.Ann, "all T frames as one volume (Kinetics normalisation)",
                                    "MAC (3D convs, BN, fc)", config => new VideoResNet(config)))
        .ToList();

    readonly Sequential stem, layer1, layer2, layer3, layer4;
    readonly AdaptiveAvgPool3d avgpool;
    readonly Linear fc;

    public VideoResNet(ReSpikeConfig config) : base(nameof(VideoResNet), config)
    {
        Design = VideoResNetDesign.Named(config.Name);
        stem = Design.FactorisedStem ? FactorisedStem() : FullStem();
        long inChannels = VideoResNetDesign.Widths[0];
        Sequential Stage(int i)
        {
            var stage = nn.Sequential();
            for (int b = 0; b < VideoResNetDesign.BlocksPerStage[i]; b++)
            {
                long planes = VideoResNetDesign.Widths[i];
                stage.append(b.ToString(), new VideoBasicBlock(Design.StageConvs[i], inChannels, planes, b == 0 ? VideoResNetDesign.StageStrides[i] : 1));
                inChannels = planes;
            }
            return stage;
        }
        layer1 = Stage(0);
        layer2 = Stage(1);
        layer3 = Stage(2);
        layer4 = Stage(3);
        avgpool = nn.AdaptiveAvgPool3d(1);
        fc = nn.Linear(VideoResNetDesign.Widths[^1], config.NumClasses);
        RegisterComponents();
        Video3dInitialization.Apply(this, linearStd: _ => 0.01);
    }

    /// <summary>Which of the three networks this is.</summary>
    public VideoResNetDesign Design { get; }

    /// <summary>The statistics torchvision's video weights were trained with (the model maps the pipeline's clips to them).</summary>
    public static ClipNormalisation Normalisation => ClipNormalisation.TorchvisionKinetics;

    /// <summary>R3D/MC3 stem: 3x7x7 conv, stride (1, 2, 2), to 64 channels; BN; ReLU.</summary>
    static Sequential FullStem() => nn.Sequential(
        ("0", nn.Conv3d(3, 64, (3, 7, 7), stride: (1, 2, 2), padding: (1, 3, 3), bias: false)),
        ("1", nn.BatchNorm3d(64)),
        ("2", nn.ReLU(inplace: true)));

    /// <summary>R(2+1)D stem: 1x7x7 spatial conv to 45 channels, BN, ReLU, then 3x1x1 temporal conv to 64, BN, ReLU.</summary>
    static Sequential FactorisedStem() => nn.Sequential(
        ("0", nn.Conv3d(3, 45, (1, 7, 7), stride: (1, 2, 2), padding: (0, 3, 3), bias: false)),
        ("1", nn.BatchNorm3d(45)),
        ("2", nn.ReLU(inplace: true)),
        ("3", nn.Conv3d(45, 64, (3, 1, 1), stride: (1, 1, 1), padding: (1, 0, 0), bias: false)),
        ("4", nn.BatchNorm3d(64)),
        ("5", nn.ReLU(inplace: true)));

    /// <summary>clip [B, T, 3, H, W] (pipeline-normalised) → logits [B, classes].</summary>
    public override Tensor forward(Tensor clip)
    {
        using var scope = torch.NewDisposeScope();
        var x = stem.call(Normalisation.ToNetworkInput(clip));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return fc.call(avgpool.call(x).flatten(1)).MoveToOuterDisposeScope();
    }
}
