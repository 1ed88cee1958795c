using static TorchSharp.torch;

namespace ReSpike.Distributed;

/// <summary>A plain run: one process, rank 0 of 1; the collectives return their input.</summary>
public sealed class SingleProcess : IProcessGroup
{
    public static readonly SingleProcess Instance = new();

    public int Rank => 0;
    public int Size => 1;
    public double CommunicationSeconds => 0;

    public string Describe() => "single process";

    public void AllreduceSum(Tensor flat, string what) { }

    public void AllreduceSum(double[] values, string what) { }

    public byte[][] AllgatherBytes(byte[] local, string what) => [local];

    public void AbortJob(int exitCode) { }

    public void Dispose() { }
}
