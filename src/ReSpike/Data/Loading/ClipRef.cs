namespace ReSpike.Data.Loading;

/// <summary>One sample: a video of the dataset and the frame indices of its clip.</summary>
public sealed record ClipRef(int Video, int Clip, int[] Frames);
