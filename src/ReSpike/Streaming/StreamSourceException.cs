namespace ReSpike.Streaming;

/// <summary>A stream input that cannot be opened or read (missing file, unreachable URL, no such device); the message names it and says what to do.</summary>
public sealed class StreamSourceException(string message) : IOException(message);
