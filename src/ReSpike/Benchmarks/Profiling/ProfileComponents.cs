using ReSpike.Models.Fusion;
using ReSpike.Spiking.Neurons;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReSpike.Benchmarks.Profiling;

/// <summary>
/// The components a step's time is split into, named from a module's dotted path and type. ReSpike's layout:
/// "ann." is the ANN trunk, "snn." the spiking branch, "fusions."/"grids." the cross-attention blocks. Time a
/// container spends outside its children (reshapes, copies, residual adds, ReLU, pooling written as functions)
/// lands in the branch's "other" row, and the network's own (residual frames, permutes, head pooling) in
/// <see cref="DataMovement"/>. Models laid out otherwise fall into the generic rows.
/// </summary>
public static class ProfileComponents
{
    public const string AnnConv = "ANN convolutions";
    public const string AnnBatchNorm = "ANN BatchNorm";
    public const string AnnOther = "ANN other (ReLU, adds, max-pool)";
    public const string SnnConv = "SNN convolutions";
    public const string SnnBatchNorm = "SNN BatchNorm";
    public const string Lif = "LIF neurons";
    public const string SnnOther = "SNN other (time folding, adds, shortcut pool)";
    public const string FusionProjections = "fusion projections (q/k/v/out, proj_in/out)";
    public const string FusionAttention = "fusion attention (QK^T, softmax, AV)";
    public const string FusionGeglu = "fusion GEGLU linears";
    public const string FusionNorms = "fusion norms (GroupNorm, LayerNorm)";
    public const string FusionOther = "fusion other (GELU gate, adds, tokens, resampling)";
    public const string Head = "head (linear)";
    public const string DataMovement = "data movement (residual frames, permutes, pooling, copies)";
    public const string OtherConv = "other convolutions";
    public const string OtherNorm = "other norms";
    public const string OtherLinear = "other linears";
    public const string Other = "other";

    /// <summary>Rows in display order.</summary>
    public static IReadOnlyList<string> Order { get; } =
    [
        AnnConv, AnnBatchNorm, AnnOther, SnnConv, SnnBatchNorm, Lif, SnnOther,
        FusionProjections, FusionAttention, FusionGeglu, FusionNorms, FusionOther, Head, DataMovement,
        OtherConv, OtherNorm, OtherLinear, Other,
    ];

    /// <summary>The component a module's own time belongs to (<paramref name="path"/> is its dotted name; the root's is its module name).</summary>
    public static string Of(string path, nn.Module module)
    {
        string leaf = path[(path.LastIndexOf('.') + 1)..];
        if (path.StartsWith("ann.", StringComparison.Ordinal))
            return module switch { Convolution => AnnConv, BatchNorm2d => AnnBatchNorm, _ => AnnOther };
        if (path.StartsWith("snn.", StringComparison.Ordinal))
            return module switch { Convolution => SnnConv, BatchNorm2d => SnnBatchNorm, BaseNode => Lif, _ => SnnOther };
        if (path.StartsWith("fusions.", StringComparison.Ordinal) || path.StartsWith("grids.", StringComparison.Ordinal))
            return module switch
            {
                Attention => FusionAttention,
                Linear when leaf is "ff_in" or "ff_out" => FusionGeglu,
                Linear or Convolution => FusionProjections,
                GroupNorm or LayerNorm => FusionNorms,
                _ => FusionOther,
            };
        if (path == "fc") return Head;
        return module switch
        {
            BaseNode => Lif,
            Convolution => OtherConv,
            BatchNorm2d or BatchNorm3d or BatchNorm1d or LayerNorm or GroupNorm => OtherNorm,
            Linear => OtherLinear,
            _ when !path.Contains('.') => DataMovement,   // the network itself
            _ => Other,
        };
    }
}
