using ReSpike.Registry;

namespace ReSpike.Energy;

/// <summary>
/// Energy per operation: a multiply-accumulate (real-valued input) and an accumulate (spike input).
/// Defaults are Horowitz, "Computing's energy problem", ISSCC 2014, 45 nm: FP32 multiply 3.7 pJ + add 0.9 pJ,
/// FP16 1.1 + 0.4, INT32 3.1 + 0.1, INT8 0.2 + 0.03. E_MAC = multiply + add, E_AC = add. Memory access is not modelled.
/// </summary>
public sealed record EnergyModel(string Name, double MacPicojoules, double AcPicojoules, string Source) : IRegistryEntry
{
    const string Horowitz = "Horowitz, ISSCC 2014, 45 nm";

    // literals, not sums: 3.7 + 0.9 is 4.6000000000000005 in binary floating point
    public static readonly EnergyModel Fp32 = new("fp32", 4.6, 0.9, Horowitz);     // 3.7 + 0.9
    public static readonly EnergyModel Fp16 = new("fp16", 1.5, 0.4, Horowitz);     // 1.1 + 0.4
    public static readonly EnergyModel Int32 = new("int32", 3.2, 0.1, Horowitz);   // 3.1 + 0.1
    public static readonly EnergyModel Int8 = new("int8", 0.23, 0.03, Horowitz);   // 0.2 + 0.03

    /// <summary>The --precision choices; a new preset is one registration here.</summary>
    public static Registry<EnergyModel> Registry { get; } = Build();

    static Registry<EnergyModel> Build()
    {
        var r = new Registry<EnergyModel>("precision", "--precision");
        foreach (var preset in new[] { Fp32, Fp16, Int32, Int8 }) r.Add(preset);
        return r;
    }

    public static IReadOnlyList<EnergyModel> Presets => Registry.Entries;

    /// <summary>A preset by name (fp32, fp16, int32, int8).</summary>
    public static EnergyModel Parse(string name) => Registry.Get(name);

    /// <summary>One line for --help and `respike models`.</summary>
    public string Description => $"E_MAC {MacPicojoules} pJ, E_AC {AcPicojoules} pJ ({Source})";

    /// <summary>Millijoules for the given operation counts (1 pJ = 1e-9 mJ).</summary>
    public double Millijoules(double macs, double acs) => (macs * MacPicojoules + acs * AcPicojoules) * 1e-9;
}
