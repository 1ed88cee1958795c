using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Models.Video3d;

/// <summary>
/// C3D (Tran et al. 2015), the paper's Table 1/3 "C3D" row, as mmaction2 builds it: <see cref="C3DBackbone"/> under
/// "backbone.*" and <see cref="C3DHead"/> under "cls_head.*", so mmaction2 state dicts load by name. Clips
/// [B, T, 3, H, W] (pipeline-normalised) are mapped to mmaction2's C3D input statistics and NCTHW.
/// 78,409,573 parameters with 101 classes at 16 × 112² (mmaction2's "78.4M"). Needs at least 16 frames.
/// </summary>
public sealed class C3D : VideoModel
{
    /// <summary>The registration of `--model c3d`.</summary>
    public static ModelEntry Registration { get; } = new("c3d",
        "C3D (Tran et al. 2015; mmaction2 layout): 8 3x3x3 convs, 5 max pools, fc6/fc7 4096 with dropout",
        ModelFamily.Ann, "all T frames as one volume (mmaction2 C3D normalisation)", "MAC (3D convs, fc)",
        config => new C3D(config))
    {
        Validate = RequireSixteenFrames,
    };

    readonly C3DBackbone backbone;
    readonly C3DHead cls_head;

    public C3D(ReSpikeConfig config) : base(nameof(C3D), config)
    {
        backbone = new C3DBackbone(config.Frames, config.ImageSize);
        cls_head = new C3DHead(C3DBackbone.HiddenWidth, config.NumClasses);
        RegisterComponents();
        // mmaction2: fc6/fc7 normal(0, 0.005) (the backbone's init_std), the classifier normal(0, 0.01)
        Video3dInitialization.Apply(this, linearStd: name => name.StartsWith("cls_head.", StringComparison.Ordinal) ? 0.01 : 0.005);
    }

    /// <summary>The statistics mmaction2's C3D was trained with (the model maps the pipeline's clips to them).</summary>
    public static ClipNormalisation Normalisation => ClipNormalisation.C3DMmaction2;

    /// <summary>clip [B, T, 3, H, W] (pipeline-normalised) → logits [B, classes].</summary>
    public override Tensor forward(Tensor clip)
    {
        using var scope = torch.NewDisposeScope();
        if (clip.dim() == 5 && (clip.shape[1] != Config.Frames || clip.shape[3] != Config.ImageSize || clip.shape[4] != Config.ImageSize))
            throw new ArgumentException($"C3D was built for {Config.Frames} × {Config.ImageSize}² clips (fc6 takes {C3DBackbone.FlattenedFeatures(Config.Frames, Config.ImageSize)} features) " +
                                        $"but got {clip.shape[1]} × {clip.shape[3]}x{clip.shape[4]} (--frames / --image)");
        return cls_head.call(backbone.call(Normalisation.ToNetworkInput(clip))).MoveToOuterDisposeScope();
    }

    static void RequireSixteenFrames(ReSpikeConfig config)
    {
        if (config.Frames < 16)
            throw new ArgumentException($"--frames: C3D pools time by 16 (pool2..pool5), so it needs at least 16 frames, got {config.Frames}");
    }
}
