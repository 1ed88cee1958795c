namespace ReSpike.IO;

/// <summary>What a state-dict load did: how many module tensors it filled and which names it passed over.</summary>
/// <param name="Loaded">Module tensors copied from the file.</param>
/// <param name="Skipped">File tensors not loaded: mapped to null, optional, or (non-strict) unexpected.</param>
/// <param name="Missing">Module tensors left as they were: optional, or (non-strict) absent from the file.</param>
public sealed record StateDictLoadReport(int Loaded, IReadOnlyList<string> Skipped, IReadOnlyList<string> Missing);
