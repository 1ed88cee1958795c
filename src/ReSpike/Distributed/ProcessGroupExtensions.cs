using System.Text.Json;

namespace ReSpike.Distributed;

/// <summary>Collectives built on <see cref="IProcessGroup.AllgatherBytes"/> for small results (JSON on the wire).</summary>
public static class ProcessGroupExtensions
{
    /// <summary>Every rank's <paramref name="local"/>, by rank, on every rank (one process: just it).</summary>
    public static IReadOnlyList<T> Allgather<T>(this IProcessGroup group, T local, string what)
    {
        if (group.Size == 1) return [local];
        return group.AllgatherBytes(JsonSerializer.SerializeToUtf8Bytes(local), what)
            .Select(bytes => JsonSerializer.Deserialize<T>(bytes) ?? throw new InvalidDataException($"{what}: a rank sent nothing"))
            .ToList();
    }

    /// <summary>Waits until every rank got here.</summary>
    public static void Barrier(this IProcessGroup group, string what) => group.AllreduceSum(new double[1], what);

    /// <summary>The items of <paramref name="count"/> this rank handles: every Size-th, starting at its rank.</summary>
    public static IEnumerable<int> Share(this IProcessGroup group, int count) =>
        Enumerable.Range(0, count).Where(i => i % group.Size == group.Rank);
}
