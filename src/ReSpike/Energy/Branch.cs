namespace ReSpike.Energy;

/// <summary>Which part of the hybrid network a layer belongs to.</summary>
public enum Branch
{
    /// <summary>The ANN backbone on key frames (module path "ann.*").</summary>
    Ann,
    /// <summary>The spiking network on residual frames ("snn.*").</summary>
    Snn,
    /// <summary>Cross-attention fusion blocks and their pooling/upsampling ("fusions.*", "grids.*").</summary>
    Fusion,
    /// <summary>Classifier: global pooling and the linear layer ("avgpool", "fc").</summary>
    Head,
    /// <summary>Anything else (modules outside a <see cref="Models.ReSpikeNet"/>).</summary>
    Other,
}

/// <summary>Every <see cref="Branch"/> in report order, and which branch a module path belongs to.</summary>
public static class Branches
{
    public static readonly IReadOnlyList<Branch> All = [Branch.Ann, Branch.Snn, Branch.Fusion, Branch.Head, Branch.Other];

    /// <summary>Branch of a module from its path in a <see cref="Models.ReSpikeNet"/>.</summary>
    public static Branch Of(string modulePath)
    {
        var top = modulePath.Split('.', 2)[0];
        return top switch
        {
            "ann" => Branch.Ann,
            "snn" => Branch.Snn,
            "fusions" or "grids" => Branch.Fusion,
            "fc" or "avgpool" => Branch.Head,
            _ => Branch.Other,
        };
    }

    public static string Name(this Branch branch) => branch.ToString().ToLowerInvariant();
}
